using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Inbound;
using Pool.Sms.Numbers;
using Pool.Sms.Otp;

namespace Pool.Grains.Inbound;

/// <summary>
/// A stored message that still has to be routed. <paramref name="LeaseId"/> is the lease its number named
/// before it was stored (the lease has not decided yet whether it takes it); null when its number was not
/// asked (or could not be), so routing starts at the number.
/// </summary>
public sealed record UnroutedMessage(string MessageId, string Number, DateTimeOffset ReceivedAt, bool HasCode, string? LeaseId = null);

/// <summary>What storing an inbound message did: stored it now (<paramref name="Inserted"/>), or found the copy stored before; and whether that row is routed.</summary>
public readonly record struct StoredInbound(string MessageId, bool Inserted, bool Routed)
{
    /// <summary>New, or stored by an earlier attempt that did not finish routing it.</summary>
    public bool NeedsRouting => !Routed;
}

/// <summary>
/// What routing already knows when a message is stored, written in the same INSERT: the lease its number
/// named (the row is attached to it before the lease hears of the message), or that routing is finished
/// without a tenant. The default is <see cref="Later"/>: stored unrouted, routed afterwards from its number.
/// </summary>
public readonly record struct RouteAtStore
{
    /// <summary>The lease the number named: the row is attached to it and stays unrouted until the lease has decided.</summary>
    public string? LeaseId { get; private init; }

    /// <summary>Routing is finished: no lease will see the message.</summary>
    public bool Finished { get; private init; }

    /// <summary>Why the message can reach no number (it is flagged <c>unroutable</c> with this as its problem); null otherwise.</summary>
    public string? Unroutable { get; private init; }

    /// <summary>Not routed yet and its number not asked: the caller's retry or the recovery job routes it from its number.</summary>
    public static RouteAtStore Later => default;

    /// <summary>The number named <paramref name="leaseId"/> as its live lease.</summary>
    public static RouteAtStore ToLease(string leaseId) => new() { LeaseId = leaseId };

    /// <summary>The number has no live lease: the message is unsolicited.</summary>
    public static RouteAtStore NoLease => new() { Finished = true };

    /// <summary>The recipient is not one of Pool's numbers.</summary>
    public static RouteAtStore NotPoolNumber(string problem) => new() { Finished = true, Unroutable = problem };
}

/// <summary>One message handed to a tenant by a batch of <see cref="MessageStore.AppendToTenantAsync"/>.</summary>
public readonly record struct TenantAppend(string MessageId, string LeaseId);

/// <summary>A message for operators: flagged (what Pool could not decode or route) or never routed, with its raw fields.</summary>
public sealed record FlaggedMessage(
    string MessageId,
    string Carrier,
    string CarrierMessageId,
    string SenderMasked,
    string Number,
    string? Text,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<string> Flags,
    bool Routed,
    string? LeaseId,
    InboundRaw? Raw);

/// <summary>The messages table.</summary>
public sealed class MessageStore(NpgsqlDataSource dataSource)
{
    /// <summary>The largest page <see cref="ListFlaggedAsync"/> returns.</summary>
    public const int MaxFlaggedPage = 500;

    private const string InsertSql =
        "WITH inserted AS (" +
        "INSERT INTO messages (message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, code, service, incomplete, routed, flags, " +
        "command, data_coding, esm_class, user_data, tlvs, source_ton, source_npi, dest_ton, dest_npi, destination_address, problem, dedup_key, lease_id) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) " +
        "ON CONFLICT (carrier, carrier_message_id) DO NOTHING RETURNING message_id, routed) " +
        "SELECT message_id, routed, true FROM inserted UNION ALL " +
        "SELECT message_id, routed, false FROM messages WHERE carrier = $2 AND carrier_message_id = $3 AND NOT EXISTS (SELECT 1 FROM inserted)";

    private const string Columns =
        "message_id, sender_masked, coalesce(body, ''), received_at, code, service, body_purged_at IS NOT NULL, incomplete, lease_id, coalesce(tenant_seq, 0)";

    private const string WindowedCopySql =
        "SELECT message_id, routed FROM messages WHERE carrier = $1 AND dedup_key = $2 AND received_at > $3 - $4 AND received_at < $3 + $4 " +
        "ORDER BY abs(extract(epoch FROM received_at - $3)), message_id LIMIT 1";

    /// <summary>
    /// The copy of <paramref name="message"/> stored before (the same carrier message id, or for a message
    /// with a <see cref="InboundMessage.DuplicateWindow"/> the same digest within the window), or null. A
    /// read, not a lock: <see cref="StoreAsync"/> stays the judge of what is a copy when two arrive at once.
    /// </summary>
    public async Task<StoredInbound?> FindCopyAsync(InboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var window = message.DuplicateWindow;
        await using var command = dataSource.CreateCommand(
            window is null ? "SELECT message_id, routed FROM messages WHERE carrier = $1 AND carrier_message_id = $2" : WindowedCopySql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Carrier });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.CarrierMessageId });
        if (window is { } duplicateWindow)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = message.ReceivedAt });
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = duplicateWindow });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredInbound(reader.GetString(0), Inserted: false, Routed: reader.GetBoolean(1))
            : null;
    }

    /// <summary>
    /// Stores the message unless the carrier sent it before, with its flags and raw PDU fields and what
    /// routing already knows (<paramref name="route"/>: attached to the lease its number named, finished
    /// without a tenant, or not routed yet). A message with a <see cref="InboundMessage.DuplicateWindow"/>
    /// (its carrier message id is a content digest) is a copy when a message with the same digest from the
    /// same carrier was received less than the window before or after it (a sliding window: two copies
    /// stored out of order are still one); concurrent stores of one digest are serialised by a
    /// transaction-scoped advisory lock on it. Without a window, the same carrier message id is the same
    /// message, as ever. An <see cref="InboundFlags.Unroutable"/> message is stored as routed: it reaches no number.
    /// </summary>
    public async Task<StoredInbound> StoreAsync(InboundMessage message, OtpMatch? otp, RouteAtStore route = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.DuplicateWindow is not { } window)
        {
            await using (var command = dataSource.CreateCommand(InsertSql))
            {
                AddInsertParameters(command, message, otp, route, message.CarrierMessageId, dedupKey: null);
                if (await ReadStoredAsync(command, cancellationToken) is { } inserted)
                {
                    return inserted;
                }
            }

            // The conflict was with a copy committed after this statement's snapshot (two copies stored at the same
            // moment): the INSERT waited for it but cannot read it; a new statement can.
            return await FindCopyAsync(message, cancellationToken)
                ?? throw new InvalidOperationException("a message conflicted with a stored copy that cannot be found");
        }

        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(message), window, "a duplicate window must be positive");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockKey = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('inbound-digest/' || $1 || '/' || $2, 0))", connection, transaction))
        {
            lockKey.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Carrier });
            lockKey.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.CarrierMessageId });
            await lockKey.ExecuteNonQueryAsync(cancellationToken);
        }

        StoredInbound stored;
        await using (var copy = new NpgsqlCommand(WindowedCopySql, connection, transaction))
        {
            copy.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Carrier });
            copy.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.CarrierMessageId });
            copy.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = message.ReceivedAt });
            copy.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = window });
            await using var reader = await copy.ExecuteReaderAsync(cancellationToken);
            stored = await reader.ReadAsync(cancellationToken)
                ? new StoredInbound(reader.GetString(0), Inserted: false, Routed: reader.GetBoolean(1))
                : default;
        }

        if (stored.MessageId is null)
        {
            await using var insert = new NpgsqlCommand(InsertSql, connection, transaction);
            AddInsertParameters(insert, message, otp, route, WindowedMessageId(message.CarrierMessageId, message.ReceivedAt), message.CarrierMessageId);
            // Stores of one digest hold its lock in turn, so a copy they conflict with was committed before this statement began.
            stored = await ReadStoredAsync(insert, cancellationToken) ?? throw new InvalidOperationException("a message conflicted with a stored copy that cannot be found");
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>The stored carrier message id of a message identified by a content digest: unique per received time.</summary>
    public static string WindowedMessageId(string digest, DateTimeOffset receivedAt) =>
        $"{digest}@{receivedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture)}";

    private static void AddInsertParameters(NpgsqlCommand command, InboundMessage message, OtpMatch? otp, RouteAtStore route, string carrierMessageId, string? dedupKey)
    {
        var raw = message.Raw;
        var flags = message.Flags.Distinct(StringComparer.Ordinal).ToList();
        var problem = raw?.Problem;
        if (route.Unroutable is { } unroutable)
        {
            // The same words MarkUnroutableAsync writes when the number's answer comes after the store.
            if (!flags.Contains(InboundFlags.Unroutable, StringComparer.Ordinal))
            {
                flags.Add(InboundFlags.Unroutable);
            }

            problem = problem is null ? unroutable : $"{problem}; {unroutable}";
        }

        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"msg_{Guid.NewGuid():n}" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Carrier });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = carrierMessageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MaskSender(message.Sender) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Number });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = message.ReceivedAt });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = otp?.Code, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = otp?.Service, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = message.Incomplete });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = route.Finished || message.Has(InboundFlags.Unroutable) });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. flags] });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = raw?.Command, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<short?> { TypedValue = raw?.DataCoding, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<short?> { TypedValue = raw?.EsmClass, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<byte[]?> { TypedValue = raw?.UserData, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<byte[]?> { TypedValue = raw?.Tlvs, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<short?> { TypedValue = raw?.SourceTon, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<short?> { TypedValue = raw?.SourceNpi, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<short?> { TypedValue = raw?.DestinationTon, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<short?> { TypedValue = raw?.DestinationNpi, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = raw?.DestinationAddress, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = problem, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = dedupKey, NpgsqlDbType = NpgsqlDbType.Text });
        // An unroutable message is attached to no lease, whatever its number said.
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = message.Has(InboundFlags.Unroutable) ? null : route.LeaseId, NpgsqlDbType = NpgsqlDbType.Text });
    }

    /// <summary>What <see cref="InsertSql"/> answered: the new row, or the copy it conflicted with when this statement can see it (null otherwise).</summary>
    private static async Task<StoredInbound?> ReadStoredAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredInbound(reader.GetString(0), reader.GetBoolean(2), reader.GetBoolean(1))
            : null;
    }

    /// <summary>
    /// Flagged messages (any flag, or <paramref name="flag"/>) and messages never routed, newest first,
    /// received before <paramref name="before"/> when given (the previous page's last received time):
    /// what operators look at when a carrier sends what Pool cannot read or route. At most 500 a call.
    /// </summary>
    public async Task<IReadOnlyList<FlaggedMessage>> ListFlaggedAsync(string? flag, int limit, DateTimeOffset? before = null, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, MaxFlaggedPage);
        await using var command = dataSource.CreateCommand(
            "SELECT message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, flags, routed, lease_id, " +
            "command, data_coding, esm_class, user_data, tlvs, source_ton, source_npi, dest_ton, dest_npi, destination_address, problem " +
            "FROM messages WHERE (flags <> '{}' OR NOT routed) AND ($1::text IS NULL OR flags @> ARRAY[$1::text]) AND ($2::timestamptz IS NULL OR received_at < $2) " +
            "ORDER BY received_at DESC, message_id LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = flag, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = before, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var messages = new List<FlaggedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            InboundRaw? raw = reader.IsDBNull(10) ? null : new InboundRaw(
                reader.GetString(10), Byte(reader, 11), Byte(reader, 12),
                reader.IsDBNull(13) ? [] : reader.GetFieldValue<byte[]>(13), reader.IsDBNull(14) ? [] : reader.GetFieldValue<byte[]>(14),
                Byte(reader, 15), Byte(reader, 16), Byte(reader, 17), Byte(reader, 18),
                reader.IsDBNull(19) ? "" : reader.GetString(19), reader.IsDBNull(20) ? null : reader.GetString(20));
            messages.Add(new FlaggedMessage(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<string[]>(7),
                reader.GetBoolean(8), reader.IsDBNull(9) ? null : reader.GetString(9), raw));
        }

        return messages;
    }

    private static byte Byte(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? (byte)0 : (byte)reader.GetInt16(ordinal);

    /// <summary>A sender that is a phone number is stored masked; an alphanumeric sender id ("Telegram") as sent.</summary>
    public static string MaskSender(string sender) => sender.Count(char.IsAsciiDigit) >= 7 ? E164.Mask(sender) : sender;

    /// <summary>
    /// Attaches a message stored before its number was asked to the lease the number named, before the lease
    /// hears of it, so a client woken by the lease finds it. (A message whose number answered before it was
    /// stored is stored attached: see <see cref="RouteAtStore.ToLease"/>.)
    /// </summary>
    public Task AttachLeaseAsync(string messageId, string leaseId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE messages SET lease_id = $2 WHERE message_id = $1 AND NOT routed", cancellationToken, messageId, leaseId);

    /// <summary>Routing finished without a tenant because the recipient is not one of Pool's numbers: flagged <c>unroutable</c>, with why.</summary>
    public Task MarkUnroutableAsync(string messageId, string problem, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE messages SET routed = true, lease_id = NULL, tenant_id = NULL, " +
            "flags = CASE WHEN 'unroutable' = ANY(flags) THEN flags ELSE array_append(flags, 'unroutable') END, " +
            "problem = CASE WHEN problem IS NULL THEN $2 ELSE problem || '; ' || $2 END WHERE message_id = $1 AND NOT routed",
            cancellationToken, messageId, problem);

    /// <summary>Routing finished without a tenant: no live lease held the number.</summary>
    public Task MarkUnsolicitedAsync(string messageId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE messages SET routed = true, lease_id = NULL, tenant_id = NULL WHERE message_id = $1 AND NOT routed", cancellationToken, messageId);

    /// <summary>
    /// Hands a batch of messages to their tenant in one statement (one round trip, one commit): each message
    /// not handed over before gets the next cursor after <paramref name="lastCursor"/>, consecutively in the
    /// order of <paramref name="appends"/>, is attached to its lease and marked routed; and one webhook delivery
    /// per enabled endpoint of the tenant is queued for each. A message handed over before keeps its cursor
    /// and queues nothing again; one that does not exist gets cursor 0. The rows are locked in message id
    /// order before they are numbered, so a message another transaction handed over meanwhile is left out
    /// rather than leaving a hole in the numbering. Returns each message's cursor (in the order given) and
    /// how many deliveries were queued. A cursor already taken (by another activation of the tenant's inbox)
    /// fails the whole statement with a unique violation on <c>messages_by_tenant_seq</c>: nothing is written.
    /// </summary>
    public async Task<(IReadOnlyList<long> Cursors, int Queued)> AppendToTenantAsync(
        string tenantId, IReadOnlyList<TenantAppend> appends, long lastCursor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appends);
        await using var command = dataSource.CreateCommand("""
            WITH input AS (
                SELECT a.message_id, a.lease_id, a.position
                FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS a(message_id, lease_id, position)
            ), fresh AS (
                SELECT m.message_id FROM messages m
                WHERE m.message_id = ANY($1::text[]) AND m.tenant_seq IS NULL
                ORDER BY m.message_id
                FOR UPDATE
            ), numbered AS (
                SELECT i.message_id, i.lease_id, row_number() OVER (ORDER BY i.position) AS offset_in_batch
                FROM input i JOIN fresh f ON f.message_id = i.message_id
            ), target AS (
                UPDATE messages m SET routed = true, lease_id = n.lease_id, tenant_id = $3, tenant_seq = $4 + n.offset_in_batch
                FROM numbered n
                WHERE m.message_id = n.message_id
                RETURNING m.message_id, m.tenant_seq
            ), queued AS (
                INSERT INTO webhook_deliveries (delivery_id, endpoint_id, tenant_id, event_id, event_type, message_id, next_attempt_at, created_at)
                SELECT 'dlv_' || left(md5(e.endpoint_id || '/' || t.message_id), 24), e.endpoint_id, $3, t.message_id, 'message.received', t.message_id, $5, $5
                FROM target t JOIN webhook_endpoints e ON e.tenant_id = $3 AND e.enabled
                ON CONFLICT (endpoint_id, event_id) DO NOTHING
                RETURNING 1
            )
            SELECT coalesce(t.tenant_seq, m.tenant_seq, 0), (SELECT count(*) FROM queued)::integer
            FROM input i
            LEFT JOIN target t ON t.message_id = i.message_id
            LEFT JOIN messages m ON m.message_id = i.message_id
            ORDER BY i.position
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. appends.Select(a => a.MessageId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. appends.Select(a => a.LeaseId)] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastCursor });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        var cursors = new List<long>(appends.Count);
        var queued = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cursors.Add(reader.GetInt64(0));
            queued = reader.GetInt32(1);
        }

        return (cursors, queued);
    }

    /// <summary>The highest cursor a tenant's messages reached (0: none yet).</summary>
    public async Task<long> LastCursorAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(tenant_seq), 0) FROM messages WHERE tenant_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<IReadOnlyList<StoredMessage>> ListForLeaseAsync(string leaseId, CancellationToken cancellationToken = default) =>
        ListAsync($"SELECT {Columns} FROM messages WHERE lease_id = $1 ORDER BY received_at, message_id", cancellationToken, leaseId);

    /// <summary>A tenant's messages after <paramref name="afterCursor"/>, in cursor order.</summary>
    public Task<IReadOnlyList<StoredMessage>> ListForTenantAsync(string tenantId, long afterCursor, int limit, CancellationToken cancellationToken = default) =>
        ListAsync($"SELECT {Columns} FROM messages WHERE tenant_id = $1 AND tenant_seq > $2 ORDER BY tenant_seq LIMIT $3", cancellationToken, tenantId, afterCursor, limit);

    /// <summary>A stored message that is not routed yet; null when it is (or does not exist).</summary>
    public async Task<UnroutedMessage?> FindUnroutedAsync(string messageId, CancellationToken cancellationToken = default)
    {
        var found = await ListUnroutedAsync("message_id = $1", cancellationToken, messageId);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>
    /// Messages stored before <paramref name="storedBefore"/> that were never routed (their silo died in between, or a
    /// step of routing failed and the carrier did not retry), with the lease their number named when there was one.
    /// </summary>
    public Task<IReadOnlyList<UnroutedMessage>> ListUnroutedAsync(DateTimeOffset storedBefore, int limit, CancellationToken cancellationToken = default) =>
        ListUnroutedAsync("stored_at < $1 ORDER BY stored_at LIMIT $2", cancellationToken, storedBefore, limit);

    /// <summary>
    /// Purges the text of messages received longer ago than the retention of their number's pool
    /// (<paramref name="defaultRetention"/> for a number in no pool); returns how many were purged.
    /// </summary>
    public async Task<int> PurgeExpiredTextAsync(DateTimeOffset now, TimeSpan defaultRetention, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            WITH due AS (
                SELECT m.message_id FROM messages m
                LEFT JOIN numbers n ON n.number = m.number
                LEFT JOIN pools p ON p.pool_id = n.pool_id
                WHERE m.body IS NOT NULL
                  AND m.received_at < $1 - make_interval(secs => coalesce(p.message_retention_seconds, $2))
                LIMIT $3
            ), purged AS (
                UPDATE messages m SET body = NULL, body_purged_at = $1 FROM due WHERE m.message_id = due.message_id RETURNING 1
            )
            SELECT count(*)::integer FROM purged
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)defaultRetention.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<IReadOnlyList<UnroutedMessage>> ListUnroutedAsync(string condition, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command($"SELECT message_id, number, received_at, code IS NOT NULL, lease_id FROM messages WHERE NOT routed AND {condition}", values);
        var messages = new List<UnroutedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new UnroutedMessage(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return messages;
    }

    private async Task<IReadOnlyList<StoredMessage>> ListAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(sql, values);
        var messages = new List<StoredMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new StoredMessage(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5))
            {
                TextPurged = reader.GetBoolean(6),
                Incomplete = reader.GetBoolean(7),
                LeaseId = reader.IsDBNull(8) ? null : reader.GetString(8),
                Cursor = reader.GetInt64(9),
            });
        }

        return messages;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Command(string sql, object[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
