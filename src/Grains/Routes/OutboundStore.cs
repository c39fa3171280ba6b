using Npgsql;
using NpgsqlTypes;

namespace Pool.Grains.Routes;

/// <summary>The outbound_messages table: each accepted message part, so its delivery receipt finds its route and owner.</summary>
public sealed class OutboundStore(NpgsqlDataSource dataSource)
{
    public async Task RecordSentAsync(string connection, IReadOnlyList<string> carrierMessageIds, string routeId, string reference, DateTimeOffset submittedAt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO outbound_messages (connection, carrier_message_id, route_id, reference, submitted_at) " +
            "SELECT $1, id, $3, $4, $5 FROM unnest($2) AS id ON CONFLICT (connection, carrier_message_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = connection });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. carrierMessageIds] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = routeId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = submittedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records the receipt of one part unless one was recorded before; its route and reference, or null.</summary>
    public async Task<(string RouteId, string Reference)?> RecordReceiptAsync(string connection, string carrierMessageId, bool delivered, string? error, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE outbound_messages SET status = $3, error = $4, receipt_at = $5 " +
            "WHERE connection = $1 AND carrier_message_id = $2 AND status = 'sent' RETURNING route_id, reference");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = connection });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = carrierMessageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivered ? "delivered" : "undelivered" });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = error, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }
}
