using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using Pool.Bench.Measurement;
using Pool.Testing;
using Pool.V1;

namespace Pool.Bench;

/// <summary>
/// Lease + release cycles through the real Pool: a fresh database, the silo with its gRPC API started
/// in this process (as scripts/run.sh starts it, on free loopback ports), a pool provisioned through
/// AddNumbers, then workers looping CreateLease → ReleaseLease(COMPLETED) as clients would.
/// </summary>
internal static partial class LeaseCycleBenchmark
{
    public const string PoolName = "bench";
    public const string Country = "HK";
    public const string Service = "bench";

    /// <summary>The tenant of PoolProcess's admin key, which the cycles lease as.</summary>
    public const string OperatorsTenant = "operators";

    /// <summary>The widest anti-scan window a tenant may have: ended leases looked at, and needed before it judges.</summary>
    public const int AntiScanWindow = 10_000;

    /// <summary>The most numbers one AddNumbers call takes.</summary>
    public const int AddNumbersBatch = 10_000;

    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_provisioningCallTimeout = TimeSpan.FromMinutes(5);

    public static async Task<CycleResult> RunAsync(
        int poolSize, TimeSpan warmup, TimeSpan duration, int workers, int maxOperations, TextWriter progress, CancellationToken cancellationToken)
    {
        var numbers = HongKongNumbers.Take(poolSize);
        await using var database = await TestDatabase.CreateAsync();
        var starting = Stopwatch.GetTimestamp();
        await using var pool = await PoolProcess.StartAsync(database, database.Name);
        var startup = Stopwatch.GetElapsedTime(starting);
        using var grpc = GrpcChannel.ForAddress(pool.GrpcAddress);
        var channel = Authorized.With(grpc, pool.AdminKey);

        await progress.WriteLineAsync($"cycles: pool of {poolSize:N0} numbers: silo ready in {startup.TotalSeconds:0.0} s; provisioning through AddNumbers");
        await CreateBenchPoolAsync(new Pools.PoolsClient(channel), cancellationToken);
        await WidenAntiScanWindowAsync(new Tenants.TenantsClient(channel), cancellationToken);
        var provisioning = await ProvisionAsync(new Numbers.NumbersClient(channel), numbers, cancellationToken);
        await progress.WriteLineAsync(
            $"cycles: provisioned {poolSize:N0} numbers in {provisioning.Seconds:0.0} s ({provisioning.Calls} AddNumbers call{(provisioning.Calls == 1 ? "" : "s")}); " +
            $"{workers} workers, {warmup.TotalSeconds:0.#} s warm-up + {duration.TotalSeconds:0.#} s");

        var writesBefore = await StorageWritesAsync(database);
        var logLinesBefore = pool.Logs.Lines.Count;
        var leases = new Leases.LeasesClient(channel);
        var capacity = Math.Max(1, maxOperations / workers);
        var clock = new RunClock(warmup, duration);
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(leases, clock, capacity, cancellationToken))));
        var writesAfter = await StorageWritesAsync(database);

        var window = RunClock.ToSeconds(results.Max(r => r.StoppedAt) - clock.MeasureFrom);
        var cycles = results.Sum(r => r.Cycle.Count);
        var allCycles = results.Sum(r => r.AllCycles);
        var writes = writesAfter.ToDictionary(w => w.Key, w => w.Value - writesBefore.GetValueOrDefault(w.Key), StringComparer.Ordinal);
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (error, count) in results.SelectMany(r => r.Errors))
        {
            errors[error] = errors.GetValueOrDefault(error) + count;
        }

        var distinctNumbers = new HashSet<string>(results.SelectMany(r => r.Numbers), StringComparer.Ordinal).Count;
        var payload = await database.ScalarAsync<double>("SELECT COALESCE(AVG(length(payload)), 0) FROM grain_state");
        var siloProblems = pool.Logs.Lines.Skip(logLinesBefore).Where(IsWarningOrWorse).ToList();

        return new CycleResult(
            poolSize,
            workers,
            startup.TotalSeconds,
            provisioning.Seconds,
            provisioning.Calls,
            provisioning.Seconds > 0 ? poolSize / provisioning.Seconds : 0,
            window,
            cycles,
            window > 0 ? cycles / window : 0,
            Latency.Of(results.Select(r => r.Create)),
            Latency.Of(results.Select(r => r.Release)),
            Latency.Of(results.Select(r => r.Cycle)),
            errors,
            allCycles,
            writes,
            allCycles == 0 ? 0 : writes.Values.Sum() / (double)allCycles,
            payload,
            distinctNumbers,
            siloProblems.Count,
            [.. siloProblems.Take(5).Select(line => line.Length > 300 ? line[..300] + "…" : line)],
            results.Any(r => r.Cycle.IsFull));
    }

    /// <summary>
    /// The bench pool serves one service over and over, so its policy lets a number serve it again at
    /// once: no cooldown, a one-second reuse window and no rotation. Everything a lease writes stays the same.
    /// </summary>
    private static async Task CreateBenchPoolAsync(Pools.PoolsClient pools, CancellationToken cancellationToken) =>
        await pools.CreatePoolAsync(
            new CreatePoolRequest
            {
                Pool = PoolName,
                Country = Country,
                Policy = new PoolPolicy
                {
                    Cooldown = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.Zero),
                    ReuseWindow = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                    MaxUses = 1_000_000,
                },
            },
            cancellationToken: cancellationToken);

    /// <summary>
    /// The cycles' leases never receive an SMS, which is what the anti-scan rule throttles a tenant for
    /// (after 20 such leases by default). The rule still runs on every release, but with its widest
    /// window it judges only after 10 000 ended leases: more than a default run makes on one silo.
    /// </summary>
    private static async Task WidenAntiScanWindowAsync(Tenants.TenantsClient tenants, CancellationToken cancellationToken) =>
        await tenants.UpdateTenantLimitsAsync(
            new UpdateTenantLimitsRequest
            {
                Tenant = OperatorsTenant,
                Limits = new TenantLimits { RequestsPerSecond = 10_000, MaxActiveLeases = 100_000, ScanWindow = AntiScanWindow, ScanMinLeases = AntiScanWindow },
            },
            cancellationToken: cancellationToken);

    private static async Task<(double Seconds, int Calls)> ProvisionAsync(Numbers.NumbersClient client, string[] numbers, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var calls = 0;
        for (var offset = 0; offset < numbers.Length; offset += AddNumbersBatch)
        {
            var batch = numbers[offset..Math.Min(numbers.Length, offset + AddNumbersBatch)];
            var response = await client.AddNumbersAsync(
                new AddNumbersRequest { Pool = PoolName, Country = Country, Numbers = { batch } },
                deadline: DateTime.UtcNow + s_provisioningCallTimeout,
                cancellationToken: cancellationToken);
            calls++;
            if (response.Added != batch.Length)
            {
                throw new InvalidOperationException($"AddNumbers added {response.Added} of {batch.Length} numbers ({response.AlreadyPresent.Count} already present)");
            }
        }

        return (Stopwatch.GetElapsedTime(started).TotalSeconds, calls);
    }

    private static async Task<Worker> WorkAsync(Leases.LeasesClient leases, RunClock clock, int capacity, CancellationToken cancellationToken)
    {
        var worker = new Worker(capacity);
        var create = new CreateLeaseRequest { Country = Country, Pool = PoolName, Service = Service };
        var maxAttempts = 2L * capacity; // warm-up included: bounded in count as well as in time
        long attempts = 0;
        var now = RunClock.Now;
        while (clock.IsRunning(now) && attempts < maxAttempts && !worker.Cycle.IsFull)
        {
            attempts++;
            var started = now;
            Lease lease;
            try
            {
                lease = await leases.CreateLeaseAsync(create, deadline: DateTime.UtcNow + s_callTimeout, cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Count("CreateLease", ex.StatusCode);
                now = RunClock.Now;
                continue;
            }

            var leased = RunClock.Now;
            worker.Numbers.Add(lease.Number);
            try
            {
                await leases.ReleaseLeaseAsync(
                    new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Completed },
                    deadline: DateTime.UtcNow + s_callTimeout,
                    cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Count("ReleaseLease", ex.StatusCode);
                now = RunClock.Now;
                continue;
            }

            now = RunClock.Now;
            worker.AllCycles++;
            if (clock.IsMeasured(started))
            {
                worker.Create.Add(leased - started);
                worker.Release.Add(now - leased);
                worker.Cycle.Add(now - started);
            }
        }

        worker.StoppedAt = now;
        return worker;
    }

    /// <summary>Grain state writes so far, per state name: every write bumps its row's version by one (an insert writes version 1).</summary>
    internal static async Task<Dictionary<string, long>> StorageWritesAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT state_name, SUM(version)::bigint FROM grain_state GROUP BY state_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var writes = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            writes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return writes;
    }

    internal static bool IsWarningOrWorse(string line) =>
        line.StartsWith("Warning ", StringComparison.Ordinal)
        || line.StartsWith("Error ", StringComparison.Ordinal)
        || line.StartsWith("Critical ", StringComparison.Ordinal);

    /// <summary>RESOURCE_EXHAUSTED, as gRPC spells its codes.</summary>
    private static string CodeName(StatusCode code) => UpperSnake().Replace(code.ToString(), "$1_$2").ToUpperInvariant();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex UpperSnake();

    private sealed class Worker(int capacity)
    {
        public LatencySamples Create { get; } = new(capacity);

        public LatencySamples Release { get; } = new(capacity);

        public LatencySamples Cycle { get; } = new(capacity);

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Numbers { get; } = new(StringComparer.Ordinal);

        public long AllCycles { get; set; }

        public long StoppedAt { get; set; }

        public void Count(string call, StatusCode code)
        {
            var key = $"{call} {CodeName(code)}";
            Errors[key] = Errors.GetValueOrDefault(key) + 1;
        }
    }
}

internal sealed record CycleResult(
    int PoolSize,
    int Workers,
    double SiloStartupSeconds,
    double ProvisioningSeconds,
    int AddNumbersCalls,
    double ProvisionedNumbersPerSecond,
    double MeasuredSeconds,
    long Cycles,
    double CyclesPerSecond,
    Latency CreateLease,
    Latency ReleaseLease,
    Latency Cycle,
    IReadOnlyDictionary<string, long> Errors,
    long CyclesIncludingWarmup,
    IReadOnlyDictionary<string, long> StorageWritesByState,
    double StorageWritesPerCycle,
    double AverageStatePayloadBytes,
    int DistinctNumbersLeased,
    int SiloWarnings,
    IReadOnlyList<string> SiloWarningSamples,
    bool StoppedByOperationCap)
{
    public long ResourceExhausted => Errors.Where(e => e.Key.EndsWith("RESOURCE_EXHAUSTED", StringComparison.Ordinal)).Sum(e => e.Value);

    public long ErrorCount => Errors.Values.Sum();
}
