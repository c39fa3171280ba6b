using Npgsql;
using Pool.Bench.Measurement;
using Pool.Testing;

namespace Pool.Bench;

/// <summary>
/// PostgreSQL's own rate of durable single-row upserts of a grain-sized payload, each its own
/// transaction, from N concurrent connections: the ceiling for anything that persists one row per
/// acknowledged operation on this server.
/// </summary>
internal static class UpsertBenchmark
{
    public const int PayloadBytes = 200;

    /// <summary>Each connection upserts its own keys in turn: inserts first, then updates, never a lock wait on another connection.</summary>
    public const int KeysPerConnection = 1_000;

    private const string Upsert =
        "INSERT INTO bench_upsert AS t (k, v, version) VALUES ($1, $2, 1) " +
        "ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, version = t.version + 1";

    public static async Task<UpsertResult> RunAsync(BenchSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await database.ExecuteAsync("CREATE TABLE bench_upsert (k text PRIMARY KEY, v bytea NOT NULL, version int NOT NULL)");

        // One physical connection per worker, opened before the clock starts.
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString;
        var connections = new List<NpgsqlConnection>(settings.Connections);
        try
        {
            for (var i = 0; i < settings.Connections; i++)
            {
                var connection = new NpgsqlConnection(connectionString);
                connections.Add(connection);
                await connection.OpenAsync(cancellationToken);
            }

            await progress.WriteLineAsync(
                $"upsert: {settings.Connections} connections, {settings.Warmup.TotalSeconds:0.#} s warm-up + {settings.Duration.TotalSeconds:0.#} s");
            var capacity = Math.Max(1, settings.MaxOperations / settings.Connections);
            var clock = new RunClock(settings.Warmup, settings.Duration);
            var workers = connections.Select((connection, i) => Task.Run(() => WorkAsync(connection, i, clock, capacity, cancellationToken))).ToArray();
            var results = await Task.WhenAll(workers);

            var window = RunClock.ToSeconds(results.Max(r => r.StoppedAt) - clock.MeasureFrom);
            var measured = results.Sum(r => r.Samples.Count);
            var executed = results.Sum(r => r.Executed);
            var stored = await database.ScalarAsync<long>("SELECT COALESCE(SUM(version), 0) FROM bench_upsert");
            return new UpsertResult(
                settings.Connections,
                PayloadBytes,
                window,
                measured,
                window > 0 ? measured / window : 0,
                Latency.Of(results.Select(r => r.Samples)),
                executed,
                stored,
                results.Any(r => r.Samples.IsFull));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<Worker> WorkAsync(NpgsqlConnection connection, int index, RunClock clock, int capacity, CancellationToken cancellationToken)
    {
        var samples = new LatencySamples(capacity);
        var payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(payload);
        var keys = Enumerable.Range(0, KeysPerConnection).Select(k => $"c{index:D3}-k{k:D4}").ToArray();

        await using var command = new NpgsqlCommand(Upsert, connection);
        var key = new NpgsqlParameter<string>();
        var value = new NpgsqlParameter<byte[]> { TypedValue = payload };
        command.Parameters.Add(key);
        command.Parameters.Add(value);
        await command.PrepareAsync(cancellationToken);

        long executed = 0;
        var maxExecutions = 2L * capacity; // warm-up included: bounded in count as well as in time
        var now = RunClock.Now;
        while (clock.IsRunning(now) && executed < maxExecutions && !samples.IsFull)
        {
            key.TypedValue = keys[(int)(executed % KeysPerConnection)];
            payload[(int)(executed % PayloadBytes)]++;
            var started = now;
            await command.ExecuteNonQueryAsync(cancellationToken);
            now = RunClock.Now;
            executed++;
            if (clock.IsMeasured(started))
            {
                samples.Add(now - started);
            }
        }

        return new Worker(samples, executed, now);
    }

    private sealed record Worker(LatencySamples Samples, long Executed, long StoppedAt);
}

internal sealed record UpsertResult(
    int Connections,
    int PayloadBytes,
    double MeasuredSeconds,
    long Operations,
    double OpsPerSecond,
    Latency Latency,
    long OperationsIncludingWarmup,
    long RowVersionsStored,
    bool StoppedByOperationCap);
