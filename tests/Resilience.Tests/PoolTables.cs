using Npgsql;

namespace Pool.Resilience.Tests;

/// <summary>A row of the leases table.</summary>
public sealed record LeaseRow(string LeaseId, string Number, string Status, string? Outcome, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt);

/// <summary>
/// What operators and auditors read with SQL: the numbers and leases projections, stored inbound
/// messages and the membership table. Read on fresh (unpooled) sessions: a pooled one may predate a
/// server restart.
/// </summary>
public sealed class PoolTables(string connectionString)
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    /// <summary>Each number of the pool with its state as the table says, a cooldown or quarantine that has passed read as available.</summary>
    public Task<Dictionary<string, string>> NumberStatesAsync(string pool) =>
        ReadAsync(
            "SELECT number, CASE WHEN status IN ('cooling', 'watchlisted') AND status_until IS NOT NULL AND status_until <= now() THEN 'available' ELSE status END " +
            "FROM numbers WHERE pool_id = $1",
            pool,
            reader => (reader.GetString(0), reader.GetString(1)),
            rows => rows.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal));

    public Task<List<LeaseRow>> LeasesAsync(string pool) =>
        ReadAsync(
            "SELECT lease_id, number, status, outcome, created_at, expires_at, ended_at FROM leases WHERE pool_id = $1",
            pool,
            reader => new LeaseRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)),
            rows => rows);

    /// <summary>Stored inbound messages of <paramref name="carrier"/> by the carrier's message id: how many rows, and the lease of the first.</summary>
    public Task<Dictionary<string, (int Rows, string? LeaseId)>> MessagesAsync(string carrier) =>
        ReadAsync(
            "SELECT carrier_message_id, count(*)::int, min(lease_id) FROM messages WHERE carrier = $1 GROUP BY carrier_message_id",
            carrier,
            reader => (reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)),
            rows => rows.ToDictionary(r => r.Item1, r => (r.Item2, r.Item3), StringComparer.Ordinal));

    /// <summary>The Orleans status of the newest generation of the silo on <paramref name="siloPort"/> (6: dead), or null.</summary>
    public async Task<int?> SiloStatusAsync(string deployment, int siloPort, int? generationAbove = null)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status FROM orleansmembershiptable WHERE deploymentid = $1 AND port = $2 AND generation > $3 ORDER BY generation DESC LIMIT 1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deployment });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = siloPort });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = generationAbove ?? int.MinValue });
        return await command.ExecuteScalarAsync() is int status ? status : null;
    }

    /// <summary>The newest generation of the silo on <paramref name="siloPort"/>.</summary>
    public async Task<int> SiloGenerationAsync(string deployment, int siloPort)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT max(generation) FROM orleansmembershiptable WHERE deploymentid = $1 AND port = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deployment });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = siloPort });
        return await command.ExecuteScalarAsync() is int generation ? generation : throw new InvalidOperationException($"no silo on port {siloPort} in the membership table");
    }

    private async Task<TResult> ReadAsync<TRow, TResult>(string sql, string argument, Func<NpgsqlDataReader, TRow> row, Func<List<TRow>, TResult> result)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = argument });
        var rows = new List<TRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(row(reader));
        }

        return result(rows);
    }
}
