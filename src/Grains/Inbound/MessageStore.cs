using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Inbound;
using Pool.Sms.Numbers;
using Pool.Sms.Otp;

namespace Pool.Grains.Inbound;

/// <summary>A stored message that still has to be routed.</summary>
public sealed record UnroutedMessage(string MessageId, string Number, DateTimeOffset ReceivedAt, bool HasCode);

/// <summary>The messages table.</summary>
public sealed class MessageStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "message_id, sender_masked, coalesce(body, ''), received_at, code, service, body_purged_at IS NOT NULL, incomplete, lease_id, coalesce(tenant_seq, 0)";

    /// <summary>
    /// Stores the message unless the carrier sent it before; returns its id and whether it still needs
    /// routing (new, or stored by an earlier attempt that did not finish routing it).
    /// </summary>
    public async Task<(string MessageId, bool NeedsRouting)> StoreAsync(InboundMessage message, OtpMatch? otp, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "WITH inserted AS (" +
            "INSERT INTO messages (message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, code, service, incomplete) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (carrier, carrier_message_id) DO NOTHING RETURNING message_id, routed) " +
            "SELECT message_id, routed FROM inserted UNION ALL " +
            "SELECT message_id, routed FROM messages WHERE carrier = $2 AND carrier_message_id = $3 AND NOT EXISTS (SELECT 1 FROM inserted)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"msg_{Guid.NewGuid():n}" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Carrier });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.CarrierMessageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MaskSender(message.Sender) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Number });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = message.ReceivedAt });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = otp?.Code, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = otp?.Service, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = message.Incomplete });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), !reader.GetBoolean(1));
    }

    /// <summary>A sender that is a phone number is stored masked; an alphanumeric sender id ("Telegram") as sent.</summary>
    public static string MaskSender(string sender) => sender.Count(char.IsAsciiDigit) >= 7 ? E164.Mask(sender) : sender;

    /// <summary>Attaches the message to its lease before the lease hears of it, so a client woken by the lease finds it.</summary>
    public Task AttachLeaseAsync(string messageId, string leaseId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE messages SET lease_id = $2 WHERE message_id = $1 AND NOT routed", cancellationToken, messageId, leaseId);

    /// <summary>Routing finished without a tenant: no live lease held the number.</summary>
    public Task MarkUnsolicitedAsync(string messageId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE messages SET routed = true, lease_id = NULL, tenant_id = NULL WHERE message_id = $1 AND NOT routed", cancellationToken, messageId);

    /// <summary>
    /// Hands the message to its tenant with cursor <paramref name="cursor"/> and, in the same statement,
    /// queues one webhook delivery per enabled endpoint of the tenant. A message handed over before
    /// keeps its cursor (and queues nothing again). Returns the message's cursor and how many deliveries were queued.
    /// </summary>
    public async Task<(long Cursor, int Queued)> AppendToTenantAsync(
        string messageId, string leaseId, string tenantId, long cursor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            WITH target AS (
                UPDATE messages SET routed = true, lease_id = $2, tenant_id = $3, tenant_seq = $4
                WHERE message_id = $1 AND tenant_seq IS NULL
                RETURNING message_id, tenant_id
            ), queued AS (
                INSERT INTO webhook_deliveries (delivery_id, endpoint_id, tenant_id, event_id, event_type, message_id, next_attempt_at, created_at)
                SELECT 'dlv_' || left(md5(e.endpoint_id || '/' || t.message_id), 24), e.endpoint_id, t.tenant_id, t.message_id, 'message.received', t.message_id, $5, $5
                FROM target t JOIN webhook_endpoints e ON e.tenant_id = t.tenant_id AND e.enabled
                ON CONFLICT (endpoint_id, event_id) DO NOTHING
                RETURNING 1
            )
            SELECT coalesce((SELECT $4 FROM target), (SELECT tenant_seq FROM messages WHERE message_id = $1)), (SELECT count(*) FROM queued)::integer
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = leaseId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cursor });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.GetInt32(1));
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

    /// <summary>Messages stored before <paramref name="storedBefore"/> that were never routed (their silo died in between).</summary>
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
        await using var command = Command($"SELECT message_id, number, received_at, code IS NOT NULL FROM messages WHERE NOT routed AND {condition}", values);
        var messages = new List<UnroutedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new UnroutedMessage(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3)));
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
