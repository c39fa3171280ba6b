using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Inbound;
using Pool.Sms.Numbers;
using Pool.Sms.Otp;

namespace Pool.Grains.Inbound;

/// <summary>The messages table.</summary>
public sealed class MessageStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores the message unless the carrier sent it before; returns its id and whether it still needs
    /// routing (new, or stored by an earlier attempt that did not finish routing it).
    /// </summary>
    public async Task<(string MessageId, bool NeedsRouting)> StoreAsync(InboundMessage message, OtpMatch? otp, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "WITH inserted AS (" +
            "INSERT INTO messages (message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, code, service) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (carrier, carrier_message_id) DO NOTHING RETURNING message_id, routed) " +
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
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), !reader.GetBoolean(1));
    }

    /// <summary>A sender that is a phone number is stored masked; an alphanumeric sender id ("Telegram") as sent.</summary>
    public static string MaskSender(string sender) => sender.Count(char.IsAsciiDigit) >= 7 ? E164.Mask(sender) : sender;

    public async Task MarkRoutedAsync(string messageId, string? leaseId, string? tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE messages SET routed = true, lease_id = $2, tenant_id = $3 WHERE message_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = leaseId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tenantId, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StoredMessage>> ListForLeaseAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT message_id, sender_masked, coalesce(body, ''), received_at, code, service FROM messages WHERE lease_id = $1 ORDER BY received_at, message_id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = leaseId });
        var messages = new List<StoredMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new StoredMessage(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return messages;
    }
}
