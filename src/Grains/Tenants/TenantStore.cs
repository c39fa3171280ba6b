using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Audit;
using Pool.Grains.Audit;
using Pool.Contracts.Tenants;

namespace Pool.Grains.Tenants;

/// <summary>The tenants and api_keys tables.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    private const string KeyColumns =
        "k.key_id, k.tenant_id, k.role, k.label, k.created_at, k.revoked_at, k.secret_hash, t.requests_per_second, k.expires_at, k.allowed_cidrs::text[], k.rotated_from";
    private const string TenantColumns =
        "tenant_id, name, created_at, requests_per_second, max_active_leases, scan_window, scan_min_leases, scan_silent_percent, scan_cooloff_seconds";

    /// <summary>Creates the tenant unless it exists (audited as <paramref name="actor"/>'s "tenant.create" when new); returns it as stored.</summary>
    public async Task<TenantInfo> CreateTenantAsync(string tenantId, string name, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var insert = new NpgsqlCommand("INSERT INTO tenants (tenant_id, name) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            var created = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
            return (created, created ? new AuditRecord(actor, "tenant.create", $"tenant/{tenantId}", null, AuditRows.Json(new { name })) : null);
        }, cancellationToken);

        return (await FindTenantAsync(tenantId, cancellationToken))!;
    }

    public async Task<TenantInfo?> FindTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TenantColumns} FROM tenants WHERE tenant_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        var tenants = await ReadTenantsAsync(command, cancellationToken);
        return tenants.Count == 0 ? null : tenants[0];
    }

    public async Task<IReadOnlyList<TenantInfo>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TenantColumns} FROM tenants ORDER BY tenant_id");
        return await ReadTenantsAsync(command, cancellationToken);
    }

    /// <summary>Stores a new key, audited as <paramref name="actor"/>'s "key.issue" (its id, tenant, role, label, expiry and allowlist; never its secret).</summary>
    public Task<ApiKeyRecord> InsertKeyAsync(string keyId, string tenantId, ApiKeyTerms terms, byte[] secretHash, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            var key = await InsertKeyAsync(connection, transaction, keyId, tenantId, terms, secretHash, cancellationToken);
            var after = AuditRows.Json(new { keyId, tenant = tenantId, role = KeyRoles.Name(terms.Role), label = terms.Label, expiresAt = terms.ExpiresAt, allowedCidrs = terms.AllowedCidrs });
            return (key, (AuditRecord?)new AuditRecord(actor, "key.issue", $"key/{keyId}", null, after));
        }, cancellationToken);
    }

    private static async Task<ApiKeyRecord> InsertKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, string tenantId, ApiKeyTerms terms, byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "WITH k AS (INSERT INTO api_keys (key_id, tenant_id, role, label, secret_hash, expires_at, allowed_cidrs) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7::cidr[]) RETURNING *) " +
            $"SELECT {KeyColumns} FROM k JOIN tenants t USING (tenant_id)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = KeyRoles.Name(terms.Role) });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = terms.Label, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)terms.ExpiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. terms.AllowedCidrs], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return (await ReadKeysAsync(command, cancellationToken))[0];
    }

    /// <summary>
    /// Rotation in one statement: the live key <paramref name="keyId"/> gets an expiry of at most now +
    /// <paramref name="overlap"/>, and a new key <paramref name="newKeyId"/> copies its tenant, role, label
    /// and allowlist. Null (and nothing changed) when there is no such live key.
    /// </summary>
    public Task<(ApiKeyRecord Issued, ApiKeyRecord Previous)?> RotateKeyAsync(
        string keyId, string newKeyId, byte[] secretHash, TimeSpan overlap, DateTimeOffset? expiresAt, AuditActor actor, CancellationToken cancellationToken = default) =>
        AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            var rotated = await RotateKeyAsync(connection, transaction, keyId, newKeyId, secretHash, overlap, expiresAt, cancellationToken);
            return (rotated, rotated is { } done
                ? new AuditRecord(actor, "key.rotate", $"key/{keyId}", null, AuditRows.Json(new { newKeyId = done.Issued.KeyId, tenant = done.Issued.TenantId, previousExpiresAt = done.Previous.ExpiresAt }))
                : (AuditRecord?)null);
        }, cancellationToken);

    private static async Task<(ApiKeyRecord Issued, ApiKeyRecord Previous)?> RotateKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string keyId, string newKeyId, byte[] secretHash, TimeSpan overlap, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "WITH old AS (UPDATE api_keys SET expires_at = LEAST(expires_at, now() + make_interval(secs => $4)) " +
            "  WHERE key_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) RETURNING *), " +
            "k AS (INSERT INTO api_keys (key_id, tenant_id, role, label, secret_hash, expires_at, allowed_cidrs, rotated_from) " +
            "  SELECT $2, tenant_id, role, label, $3, $5, allowed_cidrs, key_id FROM old RETURNING *) " +
            $"SELECT {KeyColumns} FROM k JOIN tenants t USING (tenant_id) " +
            $"UNION ALL SELECT {KeyColumns} FROM old k JOIN tenants t USING (tenant_id)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = newKeyId });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = overlap.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)expiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var keys = await ReadKeysAsync(command, cancellationToken);
        var issued = keys.FirstOrDefault(k => k.KeyId == newKeyId);
        var previous = keys.FirstOrDefault(k => k.KeyId == keyId);
        return issued is null || previous is null ? null : (issued, previous);
    }

    public async Task<ApiKeyRecord?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {KeyColumns} FROM api_keys k JOIN tenants t USING (tenant_id) WHERE k.key_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        var keys = await ReadKeysAsync(command, cancellationToken);
        return keys.Count == 0 ? null : keys[0];
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {KeyColumns} FROM api_keys k JOIN tenants t USING (tenant_id) WHERE k.tenant_id = $1 ORDER BY k.created_at, k.key_id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        return await ReadKeysAsync(command, cancellationToken);
    }

    /// <summary>
    /// Revokes the key (keeping a first revocation time); null when there is no such key. A first
    /// revocation is audited as <paramref name="actor"/>'s "key.revoke".
    /// </summary>
    public Task<ApiKeyRecord?> RevokeKeyAsync(string keyId, AuditActor actor, CancellationToken cancellationToken = default) =>
        AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                "WITH old AS (SELECT key_id, revoked_at FROM api_keys WHERE key_id = $1 FOR UPDATE), " +
                "k AS (UPDATE api_keys SET revoked_at = coalesce(api_keys.revoked_at, now()) FROM old WHERE api_keys.key_id = old.key_id RETURNING api_keys.*, old.revoked_at IS NULL AS first) " +
                $"SELECT {KeyColumns}, k.first FROM k JOIN tenants t USING (tenant_id)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
            var keys = await ReadKeysAsync(command, withFirst: true, cancellationToken);
            if (keys.Count == 0)
            {
                return ((ApiKeyRecord?)null, (AuditRecord?)null);
            }

            var (key, first) = keys[0];
            var audit = first
                ? new AuditRecord(actor, "key.revoke", $"key/{keyId}", AuditRows.Json(new { revoked = false }), AuditRows.Json(new { revoked = true, tenant = key.TenantId }))
                : null;
            return (key, audit);
        }, cancellationToken);

    /// <summary>Replaces the tenant's limits, audited as <paramref name="actor"/>'s "tenant.limits.update" (the limits that changed); null when there is no such tenant.</summary>
    public Task<TenantInfo?> SetLimitsAsync(string tenantId, TenantLimits limits, AuditActor actor, CancellationToken cancellationToken = default) =>
        AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var read = new NpgsqlCommand($"SELECT {TenantColumns} FROM tenants WHERE tenant_id = $1 FOR UPDATE", connection, transaction);
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
            var old = await ReadTenantsAsync(read, cancellationToken);
            if (old.Count == 0)
            {
                return ((TenantInfo?)null, (AuditRecord?)null);
            }

            var updated = await SetLimitsAsync(connection, transaction, tenantId, limits, cancellationToken);
            var (before, after) = AuditDiff.Of(LimitFields(old[0].Limits), LimitFields(updated.Limits));
            return (updated, before == after ? null : new AuditRecord(actor, "tenant.limits.update", $"tenant/{tenantId}", before, after));
        }, cancellationToken);

    private static object LimitFields(TenantLimits l) => new
    {
        l.RequestsPerSecond, l.MaxActiveLeases, l.ScanWindow, l.ScanMinLeases, l.ScanSilentPercent, ScanCooloffSeconds = (int)l.ScanCooloff.TotalSeconds,
    };

    private static async Task<TenantInfo> SetLimitsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, TenantLimits limits, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE tenants SET requests_per_second = $2, max_active_leases = $3, scan_window = $4, scan_min_leases = $5, " +
            $"scan_silent_percent = $6, scan_cooloff_seconds = $7 WHERE tenant_id = $1 RETURNING {TenantColumns}", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.RequestsPerSecond });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.MaxActiveLeases });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanWindow });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanMinLeases });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limits.ScanSilentPercent });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)limits.ScanCooloff.TotalSeconds });
        return (await ReadTenantsAsync(command, cancellationToken))[0];
    }

    /// <summary>The tenant's most recent ended leases, newest first: whether each received any SMS.</summary>
    public async Task<(int Active, IReadOnlyList<bool> RecentReceivedSms)> ReadLeaseHistoryAsync(string tenantId, int window, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*)::int FROM leases WHERE tenant_id = $1 AND status = 'active'), " +
            "ARRAY(SELECT messages > 0 FROM leases WHERE tenant_id = $1 AND status = 'ended' ORDER BY ended_at DESC LIMIT $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = window });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetFieldValue<bool[]>(1));
    }

    private static async Task<IReadOnlyList<TenantInfo>> ReadTenantsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var tenants = new List<TenantInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(new TenantInfo(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            {
                Limits = new TenantLimits
                {
                    RequestsPerSecond = reader.GetInt32(3),
                    MaxActiveLeases = reader.GetInt32(4),
                    ScanWindow = reader.GetInt32(5),
                    ScanMinLeases = reader.GetInt32(6),
                    ScanSilentPercent = reader.GetInt32(7),
                    ScanCooloff = TimeSpan.FromSeconds(reader.GetInt32(8)),
                },
            });
        }

        return tenants;
    }

    private static async Task<IReadOnlyList<ApiKeyRecord>> ReadKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        [.. (await ReadKeysAsync(command, withFirst: false, cancellationToken)).Select(k => k.Key)];

    /// <summary>The keys read by <paramref name="command"/>, with its extra last column (whether this revocation was the first) when <paramref name="withFirst"/>.</summary>
    private static async Task<IReadOnlyList<(ApiKeyRecord Key, bool First)>> ReadKeysAsync(NpgsqlCommand command, bool withFirst, CancellationToken cancellationToken)
    {
        var keys = new List<(ApiKeyRecord, bool)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var role = reader.GetString(2);
            keys.Add((new ApiKeyRecord(
                reader.GetString(0), reader.GetString(1), KeyRoles.TryParse(role, out var parsed) ? parsed : throw new InvalidOperationException($"api_keys holds an unknown role '{role}'"),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<byte[]>(6))
            {
                RequestsPerSecond = reader.GetInt32(7),
                ExpiresAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                AllowedCidrs = reader.GetFieldValue<string[]>(9),
                RotatedFrom = reader.IsDBNull(10) ? null : reader.GetString(10),
            }, withFirst && reader.GetBoolean(11)));
        }

        return keys;
    }
}
