using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Allocation;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Numbers;
using Pool.Grains.Audit;
using Pool.Sms.Numbers;

namespace Pool.Grains.Inventory;

/// <summary>
/// The relational inventory: pools with their policies, which numbers belong to which pool and shard,
/// and the projections of number and lease state written behind the grains. Leasing a number writes
/// nothing here synchronously; the number grains' persisted state is the truth about who holds what.
/// </summary>
public sealed class NumberInventory(NpgsqlDataSource dataSource)
{
    private const string PoolColumns =
        "pool_id, country, carrier, region, created_at, default_ttl_seconds, max_lease_seconds, cooldown_seconds, max_uses, " +
        "reuse_window_seconds, silent_lease_limit, bad_number_limit, flood_messages_per_hour, quarantine_seconds, max_offences, slide_on_message, message_retention_seconds";

    public async Task<NumberRecord?> FindNumberAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT pool_id, country FROM numbers WHERE number = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = number });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new NumberRecord(number, reader.GetString(0), reader.GetString(1))
            : null;
    }

    /// <summary>
    /// The lease candidates of one shard as the projection knows them, with when each is ready (null:
    /// now). Leased, retired and indefinitely watchlisted numbers are left out: they come back to their
    /// shard by themselves when they can serve again.
    /// </summary>
    public async Task<IReadOnlyList<(string Number, DateTimeOffset? ReadyAt)>> ListShardAsync(string poolId, int shard, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT number, CASE WHEN status IN ('cooling', 'watchlisted') THEN status_until END FROM numbers " +
            "WHERE pool_id = $1 AND shard = $2 AND (status IN ('available', 'cooling') OR (status = 'watchlisted' AND status_until IS NOT NULL))");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)shard });
        var numbers = new List<(string, DateTimeOffset?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return numbers;
    }

    public async Task<PoolInfo?> FindPoolAsync(string poolId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {PoolColumns} FROM pools WHERE pool_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        var pools = await ReadPoolsAsync(command, cancellationToken);
        return pools.Count == 0 ? null : pools[0];
    }

    public async Task<IReadOnlyList<PoolInfo>> ListPoolsAsync(string? country, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {PoolColumns} FROM pools WHERE $1::text IS NULL OR country = $1 ORDER BY pool_id");
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = country, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadPoolsAsync(command, cancellationToken);
    }

    /// <summary>
    /// Creates the pool unless a pool of that name exists (audited as <paramref name="actor"/>'s
    /// "pool.create" when new); returns the pool as stored and whether it was new.
    /// </summary>
    public async Task<(PoolInfo Pool, bool Created)> CreatePoolAsync(PoolInfo pool, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var created = await AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            var inserted = await InsertPoolAsync(connection, transaction, pool, cancellationToken);
            var after = AuditRows.Json(new { country = pool.Country, carrier = pool.Carrier, region = pool.Region, policy = pool.Policy });
            return (inserted, inserted ? new AuditRecord(actor, "pool.create", $"pool/{pool.PoolId}", null, after) : null);
        }, cancellationToken);
        return ((await FindPoolAsync(pool.PoolId, cancellationToken))!, created);
    }

    private static async Task<bool> InsertPoolAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PoolInfo pool, CancellationToken cancellationToken)
    {
        var p = pool.Policy;
        await using var command = new NpgsqlCommand(
            $"INSERT INTO pools ({PoolColumns}) VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) " +
            "ON CONFLICT (pool_id) DO NOTHING", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pool.PoolId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pool.Country });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = pool.Carrier, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = pool.Region, NpgsqlDbType = NpgsqlDbType.Text });
        AddPolicyParameters(command, p);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Replaces the pool's policy, audited as <paramref name="actor"/>'s "pool.policy.update" (the settings that changed); null when there is no such pool.</summary>
    public async Task<PoolInfo?> UpdatePolicyAsync(string poolId, PoolPolicy policy, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var found = await AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var read = new NpgsqlCommand($"SELECT {PoolColumns} FROM pools WHERE pool_id = $1 FOR UPDATE", connection, transaction);
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            var old = await ReadPoolsAsync(read, cancellationToken);
            if (old.Count == 0)
            {
                return (false, (AuditRecord?)null);
            }

            await using var command = new NpgsqlCommand(
                "UPDATE pools SET default_ttl_seconds = $2, max_lease_seconds = $3, cooldown_seconds = $4, max_uses = $5, reuse_window_seconds = $6, " +
                "silent_lease_limit = $7, bad_number_limit = $8, flood_messages_per_hour = $9, quarantine_seconds = $10, max_offences = $11, " +
                "slide_on_message = $12, message_retention_seconds = $13 WHERE pool_id = $1", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            AddPolicyParameters(command, policy);
            await command.ExecuteNonQueryAsync(cancellationToken);
            var (before, after) = AuditDiff.Of(old[0].Policy, policy);
            return (true, before == after ? null : new AuditRecord(actor, "pool.policy.update", $"pool/{poolId}", before, after));
        }, cancellationToken);
        return found ? await FindPoolAsync(poolId, cancellationToken) : null;
    }

    /// <summary>Counts by effective state: a cooldown or quarantine that has run out counts as available.</summary>
    public async Task<PoolStats> GetStatsAsync(string poolId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT CASE WHEN status IN ('cooling', 'watchlisted') AND status_until <= now() THEN 'available' ELSE status END AS effective, count(*)::int " +
            "FROM numbers WHERE pool_id = $1 GROUP BY effective");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        int Count(NumberStatus status) => counts.GetValueOrDefault(StatusNames.Of(status));
        return new PoolStats(poolId, Count(NumberStatus.Available), Count(NumberStatus.Leased), Count(NumberStatus.Cooling), Count(NumberStatus.Watchlisted), Count(NumberStatus.Retired));
    }

    /// <summary>
    /// Adds <paramref name="numbers"/> to <paramref name="poolId"/> in one transaction (COPY into a
    /// staging table, then one INSERT), creating the pool with the default policy if needed. Returns
    /// the numbers that were new. Nothing is written when any number belongs to another pool or the
    /// pool belongs to another country.
    /// </summary>
    /// <remarks>The import is audited as <paramref name="actor"/>'s "number.add" (one row per call: the pool and the counts, no number).</remarks>
    public async Task<IReadOnlyList<string>> AddNumbersAsync(string poolId, string country, IReadOnlyList<string> numbers, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var insertPool = new NpgsqlCommand("INSERT INTO pools (pool_id, country) VALUES ($1, $2) ON CONFLICT (pool_id) DO NOTHING", connection, transaction))
        {
            insertPool.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            insertPool.Parameters.Add(new NpgsqlParameter<string> { TypedValue = country });
            await insertPool.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var poolCountry = new NpgsqlCommand("SELECT country FROM pools WHERE pool_id = $1 FOR SHARE", connection, transaction))
        {
            poolCountry.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            var existingCountry = (string?)await poolCountry.ExecuteScalarAsync(cancellationToken);
            if (existingCountry != country)
            {
                throw new PoolException(PoolErrorCode.InvalidArgument, $"pool '{poolId}' holds numbers of {existingCountry}, not {country}", "country");
            }
        }

        await using (var staging = new NpgsqlCommand("CREATE TEMP TABLE incoming (number text PRIMARY KEY, shard smallint NOT NULL) ON COMMIT DROP", connection, transaction))
        {
            await staging.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY incoming (number, shard) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var number in numbers)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(number, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync((short)AllocationShards.ShardOf(number), NpgsqlDbType.Smallint, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var foreign = new NpgsqlCommand(
            "SELECT n.number, n.pool_id FROM numbers n JOIN incoming i USING (number) WHERE n.pool_id <> $1 ORDER BY n.number LIMIT 5", connection, transaction))
        {
            foreign.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            await using var reader = await foreign.ExecuteReaderAsync(cancellationToken);
            var clashes = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                clashes.Add($"{reader.GetString(0)} is in pool '{reader.GetString(1)}'");
            }

            if (clashes.Count > 0)
            {
                throw new PoolException(PoolErrorCode.FailedPrecondition, $"numbers already belong to another pool ({string.Join("; ", clashes)}); nothing was added", "numbers");
            }
        }

        var added = new List<string>();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO numbers (number, pool_id, country, shard) SELECT number, $1, $2, shard FROM incoming ON CONFLICT (number) DO NOTHING RETURNING number",
            connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = country });
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                added.Add(reader.GetString(0));
            }
        }

        var after = AuditRows.Json(new { pool = poolId, country, requested = numbers.Count, added = added.Count, alreadyPresent = numbers.Count - added.Count });
        await AuditRows.AppendAsync(connection, transaction, new AuditRecord(actor, "number.add", $"pool/{poolId}", null, after), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Leased numbers of a pool whose lease deadline (the projection's status_until) has passed.</summary>
    public async Task<IReadOnlyList<string>> ListOverdueLeasedAsync(string poolId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT number FROM numbers WHERE pool_id = $1 AND status = 'leased' AND status_until <= $3 ORDER BY status_until LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        var numbers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add(reader.GetString(0));
        }

        return numbers;
    }

    /// <summary>Records that <paramref name="number"/> now belongs to <paramref name="poolId"/> (idempotent).</summary>
    public async Task MoveNumberAsync(string number, string poolId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE numbers SET pool_id = $2 WHERE number = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = number });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes a batch of number projections; a row only moves forward in revision.</summary>
    public async Task ProjectNumbersAsync(IReadOnlyList<NumberProjection> batch, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE numbers n SET status = t.status, status_until = t.until, status_reason = t.reason, uses = t.uses, revision = t.revision, updated_at = t.at, lease_id = t.lease_id " +
            "FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::int[], $6::int[], $7::timestamptz[], $8::text[]) AS t(number, status, until, reason, uses, revision, at, lease_id) " +
            "WHERE n.number = t.number AND n.revision < t.revision");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Number)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => StatusNames.Of(p.Status))] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]> { TypedValue = [.. batch.Select(p => p.Until)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. batch.Select(p => p.Reason)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. batch.Select(p => p.Uses)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. batch.Select(p => p.Revision)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. batch.Select(p => p.UpdatedAt)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. batch.Select(p => p.LeaseId)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The number and lease states of service <paramref name="serviceId"/> written after
    /// <paramref name="after"/> and at least <paramref name="settle"/> ago (by the database's clock) whose
    /// projection row is behind their stored version (oldest first, at most <paramref name="limit"/>),
    /// and the instant the search covered up to. The stored version and the state's revision are bumped
    /// together by every write, so a row whose revision is lower than the version lacks a change.
    /// </summary>
    public async Task<(IReadOnlyList<BehindProjection> Behind, DateTimeOffset Through)> ListBehindAsync(
        string serviceId, DateTimeOffset after, TimeSpan settle, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        DateTimeOffset through;
        await using (var clock = new NpgsqlCommand("SELECT now() - $1::interval", connection))
        {
            clock.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = settle });
            through = new DateTimeOffset((DateTime)(await clock.ExecuteScalarAsync(cancellationToken))!, TimeSpan.Zero);
        }

        // States of grain_state, and (until every grain wrote once since migration 0016) of OrleansStorage.
        await using var command = new NpgsqlCommand(
            "WITH states AS (" +
            "SELECT state_name AS kind, grain_key AS key, version, modified_on FROM grain_state " +
            "WHERE state_name IN ('number', 'lease') AND modified_on > $2 AND modified_on <= $3 AND service_id = $1 AND payload IS NOT NULL " +
            "UNION ALL " +
            "SELECT o.GrainTypeString, o.GrainIdExtensionString, o.Version, o.ModifiedOn FROM OrleansStorage o " +
            "WHERE o.GrainTypeString IN ('number', 'lease') AND o.ModifiedOn > $2 AND o.ModifiedOn <= $3 AND o.ServiceId = $1 " +
            "AND o.GrainIdExtensionString IS NOT NULL AND o.PayloadBinary IS NOT NULL " +
            "AND NOT EXISTS (SELECT 1 FROM grain_state g WHERE g.grain_key = o.GrainIdExtensionString AND g.state_name = o.GrainTypeString AND g.service_id = $1)) " +
            "SELECT s.kind, s.key, s.modified_on FROM states s " +
            "LEFT JOIN numbers n ON s.kind = 'number' AND n.number = s.key " +
            "LEFT JOIN leases l ON s.kind = 'lease' AND l.lease_id = s.key " +
            "WHERE (s.kind = 'number' AND n.revision < s.version) OR (s.kind = 'lease' AND (l.revision IS NULL OR l.revision < s.version)) " +
            "ORDER BY s.modified_on LIMIT $4", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = through });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var behind = new List<BehindProjection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            behind.Add(new BehindProjection(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        // A full page covers only up to its last row: the next search goes on from there.
        return (behind, behind.Count == limit ? behind[^1].ModifiedOn.AddTicks(-10) : through);
    }

    /// <summary>Up to where the reconciler of <paramref name="serviceId"/> has compared states with rows (the start of time when it never ran).</summary>
    public async Task<DateTimeOffset> ReadWatermarkAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT through FROM projection_watermark WHERE service_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime through ? new DateTimeOffset(through, TimeSpan.Zero) : DateTimeOffset.UnixEpoch;
    }

    /// <summary>Moves the watermark forward to <paramref name="through"/> (never back).</summary>
    public async Task AdvanceWatermarkAsync(string serviceId, DateTimeOffset through, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO projection_watermark (service_id, through) VALUES ($1, $2) " +
            "ON CONFLICT (service_id) DO UPDATE SET through = greatest(projection_watermark.through, EXCLUDED.through)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = through });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Numbers of a pool shown leased, unchanged since <paramref name="before"/>, whose lease's row is
    /// missing, ended, or about another number: the number and its lease disagree (or the lease never
    /// recorded its opening).
    /// </summary>
    public async Task<IReadOnlyList<string>> ListLeasedWithoutLiveLeaseAsync(string poolId, DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT n.number FROM numbers n LEFT JOIN leases l ON l.lease_id = n.lease_id " +
            "WHERE n.pool_id = $1 AND n.status = 'leased' AND n.lease_id IS NOT NULL AND n.updated_at <= $2 " +
            "AND (l.lease_id IS NULL OR l.status <> 'active' OR l.number <> n.number) LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadStringsAsync(command, cancellationToken);
    }

    /// <summary>Active leases of a pool whose number's row (unchanged since <paramref name="before"/>) is not held by them.</summary>
    public async Task<IReadOnlyList<string>> ListActiveLeasesNotHeldAsync(string poolId, DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT l.lease_id FROM leases l JOIN numbers n ON n.number = l.number " +
            "WHERE l.pool_id = $1 AND l.status = 'active' AND n.updated_at <= $2 AND n.lease_id IS DISTINCT FROM l.lease_id LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadStringsAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Writes a batch of lease projections; a row only moves forward in revision.</summary>
    public async Task ProjectLeasesAsync(IReadOnlyList<LeaseProjection> batch, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO leases (lease_id, tenant_id, pool_id, number, service, status, outcome, created_at, expires_at, ended_at, revision, messages) " +
            "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::int[], $12::int[]) " +
            "ON CONFLICT (lease_id) DO UPDATE SET status = EXCLUDED.status, outcome = EXCLUDED.outcome, expires_at = EXCLUDED.expires_at, " +
            "ended_at = EXCLUDED.ended_at, revision = EXCLUDED.revision, messages = EXCLUDED.messages WHERE leases.revision < EXCLUDED.revision");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.LeaseId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.TenantId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.PoolId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Number)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Service)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(p => p.Status)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. batch.Select(p => p.Outcome)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. batch.Select(p => p.CreatedAt)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. batch.Select(p => p.ExpiresAt)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]> { TypedValue = [.. batch.Select(p => p.EndedAt)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. batch.Select(p => p.Revision)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. batch.Select(p => p.Messages)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A tenant's leases, newest first (ties by lease id), after the position (<paramref name="afterCreated"/>, <paramref name="afterLeaseId"/>) for paging.</summary>
    public async Task<IReadOnlyList<LeaseProjection>> ListLeasesAsync(
        string tenantId, bool activeOnly, DateTimeOffset? afterCreated, string? afterLeaseId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT lease_id, tenant_id, pool_id, number, service, status, outcome, created_at, expires_at, ended_at, revision FROM leases " +
            "WHERE tenant_id = $1 AND (NOT $2 OR status = 'active') AND ($3::timestamptz IS NULL OR (created_at, lease_id) < ($3, $5)) " +
            "ORDER BY created_at DESC, lease_id DESC LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = activeOnly });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = afterCreated, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = afterLeaseId ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        var leases = new List<LeaseProjection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leases.Add(new LeaseProjection(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.GetInt32(10)));
        }

        return leases;
    }

    private static void AddPolicyParameters(NpgsqlCommand command, PoolPolicy p)
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)p.DefaultTtl.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)p.MaxLeaseTime.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)p.Cooldown.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = p.MaxUses });
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = p.ReuseWindow is { } w ? (long)w.TotalSeconds : null, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = p.SilentLeaseLimit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = p.BadNumberLimit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = p.FloodMessagesPerHour });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)p.Quarantine.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = p.MaxOffences });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = p.SlideOnMessage });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)p.MessageRetention.TotalSeconds });
    }

    private static async Task<IReadOnlyList<PoolInfo>> ReadPoolsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var pools = new List<PoolInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var policy = new PoolPolicy
            {
                DefaultTtl = TimeSpan.FromSeconds(reader.GetInt32(5)),
                MaxLeaseTime = TimeSpan.FromSeconds(reader.GetInt32(6)),
                Cooldown = TimeSpan.FromSeconds(reader.GetInt32(7)),
                MaxUses = reader.GetInt32(8),
                ReuseWindow = reader.IsDBNull(9) ? null : TimeSpan.FromSeconds(reader.GetInt64(9)),
                SilentLeaseLimit = reader.GetInt32(10),
                BadNumberLimit = reader.GetInt32(11),
                FloodMessagesPerHour = reader.GetInt32(12),
                Quarantine = TimeSpan.FromSeconds(reader.GetInt32(13)),
                MaxOffences = reader.GetInt32(14),
                SlideOnMessage = reader.GetBoolean(15),
                MessageRetention = TimeSpan.FromSeconds(reader.GetInt64(16)),
            };
            pools.Add(new PoolInfo(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                policy, reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return pools;
    }
}

/// <summary>The names the projection stores for number states.</summary>
public static class StatusNames
{
    public static string Of(NumberStatus status) => status switch
    {
        NumberStatus.Available => "available",
        NumberStatus.Leased => "leased",
        NumberStatus.Cooling => "cooling",
        NumberStatus.Watchlisted => "watchlisted",
        NumberStatus.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
