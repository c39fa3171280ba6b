using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Audit;

namespace Pool.Grains.Audit;

/// <summary>
/// Reads and purges the <c>audit</c> table, and runs a store's change together with its audit row in
/// one transaction (<see cref="ChangeAsync{T}"/>).
/// </summary>
public sealed class AuditStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "audit_id, at, key_id, role, tenant_id, peer_address, correlation_id, action, target, before::text, after::text, outcome";

    /// <summary>
    /// Runs <paramref name="change"/> in a transaction; when it returns an audit record, the record is
    /// appended in the same transaction. Commits only when both succeeded: a failed audit insert leaves
    /// the change undone.
    /// </summary>
    public static async Task<T> ChangeAsync<T>(
        NpgsqlDataSource dataSource,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<(T Result, AuditRecord? Audit)>> change,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (result, audit) = await change(connection, transaction);
        if (audit is not null)
        {
            await AuditRows.AppendAsync(connection, transaction, audit, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>A page of rows matching <paramref name="query"/>, newest first.</summary>
    public async Task<AuditPage> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM audit " +
            "WHERE ($1::text IS NULL OR key_id = $1) AND ($2::text IS NULL OR tenant_id = $2) " +
            "AND ($3::text IS NULL OR starts_with(action, $3)) AND ($4::text IS NULL OR starts_with(target, $4)) " +
            "AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6) " +
            "AND ($7::bigint IS NULL OR audit_id < $7) " +
            "ORDER BY audit_id DESC LIMIT $8");
        command.Parameters.Add(Text(query.KeyId));
        command.Parameters.Add(Text(query.TenantId));
        command.Parameters.Add(Text(query.Action));
        command.Parameters.Add(Text(query.Target));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.From?.UtcDateTime ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.To?.UtcDateTime ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)query.BeforeId ?? DBNull.Value });
        // One row more than asked tells whether another page follows.
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit + 1 });
        var entries = new List<AuditEntry>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                string? Nullable(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var actor = new AuditActor(reader.GetString(2), reader.GetString(3), reader.GetString(4), Nullable(5), Nullable(6));
                var record = new AuditRecord(actor, reader.GetString(7), reader.GetString(8), Nullable(9), Nullable(10), reader.GetString(11));
                entries.Add(new AuditEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), record));
            }
        }

        if (entries.Count > query.Limit)
        {
            entries.RemoveAt(entries.Count - 1);
            return new AuditPage(entries, entries[^1].AuditId);
        }

        return new AuditPage(entries, null);
    }

    /// <summary>Deletes rows older than <paramref name="cutoff"/>, at most <paramref name="maxRows"/> (audit_purge); returns how many.</summary>
    public async Task<long> PurgeAsync(DateTimeOffset cutoff, int maxRows, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT audit_purge($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxRows });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
}
