using System.Text.Encodings.Web;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Audit;
using Pool.Sms.Logging;

namespace Pool.Grains.Audit;

/// <summary>
/// Writes rows of the append-only <c>audit</c> table (migration 0017). A state change and its audit
/// row commit together: a store adds <see cref="Insert"/> to the batch or transaction of the change
/// itself. Every text written is bounded to the column's limit and has phone numbers masked
/// (<see cref="LogRedaction.MaskNumbers"/>), whatever the caller passed.
/// </summary>
public static class AuditRows
{
    private const string InsertSql =
        "INSERT INTO audit (key_id, role, tenant_id, peer_address, correlation_id, action, target, before, after, outcome) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

    // '+' written as itself, not "\u002B" (the default encoder's escape), so the masking below sees every number.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The INSERT of <paramref name="record"/>, to add to the <see cref="NpgsqlBatch"/> of the change it records.</summary>
    public static NpgsqlBatchCommand Insert(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var command = new NpgsqlBatchCommand(InsertSql);
        foreach (var parameter in Parameters(record))
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Appends <paramref name="record"/> on <paramref name="connection"/>, inside <paramref name="transaction"/> when given.</summary>
    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(record);
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        foreach (var parameter in Parameters(record))
        {
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Appends <paramref name="record"/> in a statement of its own (for rows that go with no state change).</summary>
    public static async Task AppendAsync(NpgsqlDataSource dataSource, AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(record);
        await using var command = dataSource.CreateCommand(InsertSql);
        foreach (var parameter in Parameters(record))
        {
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The JSON object of <paramref name="fields"/> for <see cref="AuditRecord.Before"/> or
    /// <see cref="AuditRecord.After"/>: null when <paramref name="fields"/> is null; string values
    /// have phone numbers masked. Never pass a secret.
    /// </summary>
    public static string? Json(object? fields) =>
        fields is null ? null : LogRedaction.MaskNumbers(JsonSerializer.Serialize(fields, s_json));

    private static IEnumerable<NpgsqlParameter> Parameters(AuditRecord record)
    {
        var actor = record.Actor;
        yield return Text(actor.KeyId, 64);
        yield return Text(actor.Role, 32);
        yield return Text(actor.TenantId, 64);
        yield return Text(actor.PeerAddress, 64);
        yield return Text(actor.CorrelationId, 128);
        yield return Text(record.Action, 64);
        yield return Text(record.Target, 256);
        yield return new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)MaskedJson(record.Before) ?? DBNull.Value };
        yield return new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)MaskedJson(record.After) ?? DBNull.Value };
        yield return Text(record.Outcome, 512);
    }

    /// <summary>
    /// The JSON with phone numbers masked; a '+' escaped as "\u002B" (which PostgreSQL would store as '+')
    /// is unescaped first, so an escaped number is masked too.
    /// </summary>
    private static string? MaskedJson(string? json) =>
        json is null ? null : LogRedaction.MaskNumbers(json.Replace("\\u002B", "+", StringComparison.OrdinalIgnoreCase));

    private static NpgsqlParameter Text(string? value, int max)
    {
        var masked = value is null ? null : LogRedaction.MaskNumbers(value);
        if (masked is { Length: > 0 } && masked.Length > max)
        {
            masked = masked[..(max - 1)] + "…";
        }

        return new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)masked ?? DBNull.Value };
    }
}
