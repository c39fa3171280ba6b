using System.Net;
using Npgsql;
using Pool.Testing;

namespace Pool.Bench;

/// <summary>The PostgreSQL server every measurement runs on (the one <see cref="TestDatabase"/> uses).</summary>
internal sealed record PostgresInfo(string Version, string Fsync, string SynchronousCommit, string SharedBuffers)
{
    /// <summary>The benchmark talks to loopback addresses only.</summary>
    public static void EnsureLoopback()
    {
        var host = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString).Host ?? "";
        var loopback = host is "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        if (!loopback)
        {
            throw new InvalidOperationException($"the benchmark only uses a PostgreSQL on a loopback address; {TestDatabase.ServerVariable} points at '{host}'");
        }
    }

    public static async Task<PostgresInfo> CollectAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ServerConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"no PostgreSQL at {connection.Host}:{connection.Port} ({ex.Message}); bench/run.sh starts it (scripts/db.sh start), or set {TestDatabase.ServerVariable}", ex);
        }

        async Task<string> Scalar(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "?";
        }

        return new PostgresInfo(
            await Scalar("SELECT version()"),
            await Scalar("SHOW fsync"),
            await Scalar("SHOW synchronous_commit"),
            await Scalar("SHOW shared_buffers"));
    }
}
