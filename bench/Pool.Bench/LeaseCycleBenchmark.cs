using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using Pool.Bench.Inbound;
using Pool.Bench.Measurement;
using Pool.Testing;
using Pool.V1;

namespace Pool.Bench;

/// <summary>
/// Lease + release cycles through the real Pool: a fresh database, the silo with its gRPC API started
/// in this process (as scripts/run.sh starts it, on free loopback ports), a pool provisioned through
/// AddNumbers, then workers looping CreateLease → (for a share of the cycles, a signed SMS to the leased
/// number through the HTTP carrier endpoint) → ReleaseLease(COMPLETED), as clients' leases do.
/// </summary>
internal static class LeaseCycleBenchmark
{
    public const string PoolName = "bench";
    public const string Country = "HK";
    public const string Service = "bench";

    /// <summary>The tenant of PoolProcess's admin key, which the cycles lease as.</summary>
    public const string OperatorsTenant = "operators";

    /// <summary>The HTTP carrier the cycles' SMS come from.</summary>
    public const string Carrier = "bench";

    /// <summary>The most numbers one AddNumbers call takes (the API's limit).</summary>
    public const int AddNumbersBatch = 10_000;

    /// <summary>Cycles with an SMS run one after the other before the workers start (see <see cref="PrimeAsync"/>).</summary>
    public const int PrimingCycles = 4;

    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_provisioningCallTimeout = TimeSpan.FromMinutes(5);

    public static async Task<CycleResult> RunAsync(CycleRun run, TextWriter progress, CancellationToken cancellationToken)
    {
        // The peak resident memory reported is this pool size's (provisioning included), where the kernel allows the reset.
        var peakReset = ProcessMemory.TryResetPeak();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var database = await TestDatabase.CreateAsync();
        var starting = Stopwatch.GetTimestamp();
        await using var pool = await PoolProcess.StartAsync(
            database, database.Name, settings: new Dictionary<string, string?> { [CarrierMessages.SecretSetting(Carrier)] = secret });
        var startup = Stopwatch.GetElapsedTime(starting);
        using var grpc = GrpcChannel.ForAddress(pool.GrpcAddress);
        var channel = Authorized.With(grpc, pool.AdminKey);

        await progress.WriteLineAsync($"cycles: pool of {run.PoolSize:N0} numbers: silo ready in {startup.TotalSeconds:0.0} s; provisioning through AddNumbers");
        await CreateBenchPoolAsync(new Pools.PoolsClient(channel), cancellationToken);
        await RaiseRateLimitsAsync(new Tenants.TenantsClient(channel), cancellationToken);
        var provisioning = await ProvisionAsync(new Numbers.NumbersClient(channel), run.PoolSize, cancellationToken);
        await progress.WriteLineAsync(
            $"cycles: provisioned {run.PoolSize:N0} numbers in {provisioning.Seconds:0.0} s ({provisioning.Calls} AddNumbers call{(provisioning.Calls == 1 ? "" : "s")}); " +
            $"{run.Workers} workers, an SMS in {run.SmsShare:P0} of the cycles, {run.Warmup.TotalSeconds:0.#} s warm-up + {run.Duration.TotalSeconds:0.#} s");

        var writesBefore = await StorageWritesAsync(database);
        var logLinesBefore = pool.Logs.Lines.Count;
        var leases = new Leases.LeasesClient(channel);
        using var http = pool.CreateHttpClient();
        var sms = new CycleSms(run.SmsShare, 2 * run.Workers, new CarrierMessages(Carrier, secret, "bench-cycle"), http);
        var capacity = Math.Max(1, run.MaxOperations / run.Workers);
        var priming = run.SmsShare > 0 ? await PrimeAsync(leases, sms, cancellationToken) : null;
        var clock = new RunClock(run.Warmup, run.Duration);
        await using var gc = GcWatch.StartAt(clock.MeasureFrom);
        var work = WorkWatch.StartAt(clock.MeasureFrom, pool.Services);
        var workers = await Task.WhenAll(Enumerable.Range(0, run.Workers).Select(_ => Task.Run(() => WorkAsync(leases, sms, clock, capacity, cancellationToken))));
        Worker[] results = priming is null ? workers : [.. workers, priming];
        var gcWindow = await gc.StopAsync();
        var workWindow = await work.StopAsync();
        var (resident, peak) = ProcessMemory.Read();
        var writesAfter = await StorageWritesAsync(database);

        var window = RunClock.ToSeconds(workers.Max(r => r.StoppedAt) - clock.MeasureFrom);
        var cycles = results.Sum(r => r.Cycle.Count);
        var allCycles = results.Sum(r => r.AllCycles);
        var writes = writesAfter.ToDictionary(w => w.Key, w => w.Value - writesBefore.GetValueOrDefault(w.Key), StringComparer.Ordinal);
        var errors = ErrorCounts.Merge(results.Select(r => r.Errors));
        var distinctNumbers = new HashSet<string>(results.SelectMany(r => r.Numbers), StringComparer.Ordinal).Count;
        var payload = await database.ScalarAsync<double>("SELECT COALESCE(AVG(length(payload)), 0) FROM grain_state");
        var siloProblems = pool.Logs.Lines.Skip(logLinesBefore).Where(IsWarningOrWorse).ToList();

        return new CycleResult(
            run.PoolSize,
            run.Workers,
            startup.TotalSeconds,
            provisioning.Seconds,
            provisioning.Calls,
            provisioning.Seconds > 0 ? run.PoolSize / provisioning.Seconds : 0,
            window,
            cycles,
            window > 0 ? cycles / window : 0,
            Latency.Of(results.Select(r => r.Create)),
            Latency.Of(results.Select(r => r.Release)),
            Latency.Of(results.Select(r => r.Cycle)),
            run.SmsShare,
            results.Sum(r => r.SmsCycles),
            results.Sum(r => r.AllSmsCycles),
            Latency.Of(results.Select(r => r.Sms)),
            errors,
            allCycles,
            writes,
            allCycles == 0 ? 0 : writes.Values.Sum() / (double)allCycles,
            payload,
            distinctNumbers,
            siloProblems.Count,
            [.. siloProblems.Take(5).Select(line => line.Length > 300 ? line[..300] + "…" : line)],
            workers.Any(r => r.Cycle.IsFull),
            new ProcessFootprint(resident, peak, peakReset, gcWindow),
            workWindow);
    }

    /// <summary>
    /// The bench pool serves one service over and over, so its policy lets a number serve it again at
    /// once: no cooldown, a one-second reuse window and no rotation. Its numbers receive the cycles' SMS,
    /// many per number within the hour in a closed loop on a small pool, so the flood rule is lifted as
    /// for the inbound pool. Everything a lease writes stays the same.
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
                    FloodMessagesPerHour = 100_000,
                },
            },
            cancellationToken: cancellationToken);

    /// <summary>
    /// Raises the operators tenant's rate limits (requests per second, active leases) so that the workers
    /// are not throttled for their pace. The anti-scan rule keeps its defaults (fields left unset): the
    /// share of cycles whose lease receives an SMS keeps the tenant's silent leases under its threshold,
    /// as a real client's leases do.
    /// </summary>
    private static async Task RaiseRateLimitsAsync(Tenants.TenantsClient tenants, CancellationToken cancellationToken) =>
        await tenants.UpdateTenantLimitsAsync(
            new UpdateTenantLimitsRequest
            {
                Tenant = OperatorsTenant,
                Limits = new TenantLimits { RequestsPerSecond = 10_000, MaxActiveLeases = 100_000 },
            },
            cancellationToken: cancellationToken);

    /// <summary>Adds <paramref name="count"/> numbers in calls of <see cref="AddNumbersBatch"/>, one after the other; timed from the first call to the last answer.</summary>
    private static async Task<(double Seconds, int Calls)> ProvisionAsync(Numbers.NumbersClient client, int count, CancellationToken cancellationToken)
    {
        var numbers = HongKongNumbers.Take(count);
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

    /// <summary>
    /// Before the workers start: <see cref="PrimingCycles"/> cycles one after the other, each with an SMS,
    /// unmeasured. The first POST activates the inbound path (hundreds of milliseconds), so without them the
    /// first leases to end would be the workers' silent ones, and the anti-scan rule, which judges a tenant
    /// from its 20th ended lease on, would throttle it on a start no client's traffic looks like.
    /// </summary>
    private static async Task<Worker> PrimeAsync(Leases.LeasesClient leases, CycleSms sms, CancellationToken cancellationToken)
    {
        var worker = new Worker(1);
        var create = new CreateLeaseRequest { Country = Country, Pool = PoolName, Service = Service };
        for (var i = 0; i < PrimingCycles; i++)
        {
            Lease lease;
            try
            {
                lease = await leases.CreateLeaseAsync(create, deadline: DateTime.UtcNow + s_callTimeout, cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Errors.Add("CreateLease", ex.StatusCode);
                continue;
            }

            worker.Numbers.Add(lease.Number);
            using (var request = sms.Carrier.Request(sms.TakeMessage(), lease.Number))
            {
                if (await CarrierMessages.SendAsync(sms.Http, request, cancellationToken) is { } error)
                {
                    worker.Errors.Add($"SMS {error}");
                }
                else
                {
                    worker.AllSmsCycles++;
                }
            }

            try
            {
                await leases.ReleaseLeaseAsync(
                    new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Completed },
                    deadline: DateTime.UtcNow + s_callTimeout,
                    cancellationToken: cancellationToken);
                worker.AllCycles++;
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Errors.Add("ReleaseLease", ex.StatusCode);
            }
        }

        return worker;
    }

    private static async Task<Worker> WorkAsync(Leases.LeasesClient leases, CycleSms sms, RunClock clock, int capacity, CancellationToken cancellationToken)
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
                worker.Errors.Add("CreateLease", ex.StatusCode);
                now = RunClock.Now;
                continue;
            }

            var leased = RunClock.Now;
            worker.Numbers.Add(lease.Number);
            long smsTicks = -1;
            if (sms.TakeTurn(out var n))
            {
                using var request = sms.Carrier.Request(n, lease.Number);
                var posting = RunClock.Now;
                var error = await CarrierMessages.SendAsync(sms.Http, request, cancellationToken);
                if (error is null)
                {
                    smsTicks = RunClock.Now - posting;
                }
                else
                {
                    worker.Errors.Add($"SMS {error}");
                }
            }

            var releasing = RunClock.Now;
            try
            {
                await leases.ReleaseLeaseAsync(
                    new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Completed },
                    deadline: DateTime.UtcNow + s_callTimeout,
                    cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Errors.Add("ReleaseLease", ex.StatusCode);
                now = RunClock.Now;
                continue;
            }

            now = RunClock.Now;
            worker.AllCycles++;
            worker.AllSmsCycles += smsTicks >= 0 ? 1 : 0;
            if (clock.IsMeasured(started))
            {
                worker.Create.Add(leased - started);
                worker.Release.Add(now - releasing);
                worker.Cycle.Add(now - started);
                if (smsTicks >= 0)
                {
                    worker.SmsCycles++;
                    worker.Sms.Add(smsTicks);
                }
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

    /// <summary>
    /// Which cycles post an SMS: cycle c (counted over every worker, in the order they reach the point
    /// after CreateLease) does when ⌊(c + 1) × share⌋ &gt; ⌊c × share⌋, so the SMS are spread evenly: with
    /// 0.25, one cycle in four, and any run of the tenant's ended leases holds about that share.
    /// </summary>
    /// <summary>
    /// Which cycles post an SMS: the first two rounds of every worker (2 × workers cycles, all in flight
    /// at once at the start, when a burst of quick silent releases would otherwise fill the anti-scan
    /// window before the slower cycles with an SMS end), then <paramref name="share"/> of them, evenly.
    /// </summary>
    private sealed class CycleSms(double share, int alwaysFirst, CarrierMessages carrier, HttpClient http)
    {
        private long _cycles;
        private long _messages;

        public CarrierMessages Carrier => carrier;

        public HttpClient Http => http;

        /// <summary>Whether this cycle posts an SMS, and if so the message's number <paramref name="n"/>.</summary>
        public bool TakeTurn(out long n)
        {
            n = -1;
            if (share <= 0)
            {
                return false;
            }

            var cycle = Interlocked.Increment(ref _cycles) - 1;
            if (cycle >= alwaysFirst && Math.Floor((cycle + 1) * share) <= Math.Floor(cycle * share))
            {
                return false;
            }

            n = TakeMessage();
            return true;
        }

        /// <summary>The number of the next SMS, whatever the share (the priming cycles all post one).</summary>
        public long TakeMessage() => Interlocked.Increment(ref _messages) - 1;
    }

    private sealed class Worker(int capacity)
    {
        public LatencySamples Create { get; } = new(capacity);

        public LatencySamples Release { get; } = new(capacity);

        public LatencySamples Cycle { get; } = new(capacity);

        /// <summary>From just before the SMS's POST to the carrier's answer, for the measured cycles whose SMS was delivered.</summary>
        public LatencySamples Sms { get; } = new(capacity);

        public ErrorCounts Errors { get; } = new();

        public HashSet<string> Numbers { get; } = new(StringComparer.Ordinal);

        public long AllCycles { get; set; }

        public long SmsCycles { get; set; }

        public long AllSmsCycles { get; set; }

        public long StoppedAt { get; set; }
    }
}

/// <summary>What one lease + release measurement runs: pool size, time, workers, and the share of cycles whose lease gets an SMS.</summary>
internal sealed record CycleRun(int PoolSize, TimeSpan Warmup, TimeSpan Duration, int Workers, int MaxOperations, double SmsShare)
{
    public static CycleRun Of(BenchSettings settings, int poolSize, TimeSpan duration) =>
        new(poolSize, settings.Warmup, duration, settings.Workers, settings.MaxOperations, settings.CycleSmsShare);
}

/// <summary>
/// This process's memory after a measurement (the silo, its API and the load generator all run in it):
/// resident bytes (VmRSS), the peak (VmHWM: since the measurement started when
/// <see cref="PeakSinceMeasurementStart"/>, else since the process did), and the garbage collector over
/// the measured window.
/// </summary>
internal sealed record ProcessFootprint(long? ResidentBytes, long? PeakResidentBytes, bool PeakSinceMeasurementStart, GcWindow Gc);

/// <summary>
/// One lease + release measurement: pool size and import (seconds, numbers/s), cycles per second in the
/// measured window, the latency of a cycle, of CreateLease, of ReleaseLease and of the SMS POST (ms, see
/// <see cref="Latency"/>), cycles with an SMS, errors by label over the whole run (warm-up included), grain
/// state writes, silo warnings, and the process's memory and GC.
/// </summary>
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
    double SmsShare,
    long SmsCycles,
    long SmsCyclesIncludingWarmup,
    Latency SmsPost,
    IReadOnlyDictionary<string, long> Errors,
    long CyclesIncludingWarmup,
    IReadOnlyDictionary<string, long> StorageWritesByState,
    double StorageWritesPerCycle,
    double AverageStatePayloadBytes,
    int DistinctNumbersLeased,
    int SiloWarnings,
    IReadOnlyList<string> SiloWarningSamples,
    bool StoppedByOperationCap,
    ProcessFootprint Process,
    WorkWindow Work)
{
    /// <summary>CPU time of the whole process (silo, API and the benchmark's clients) per measured cycle, in ms.</summary>
    public double CpuMsPerCycle => Cycles == 0 ? 0 : Work.CpuMs / Cycles;

    public long ResourceExhausted => Errors.Where(e => e.Key.EndsWith("RESOURCE_EXHAUSTED", StringComparison.Ordinal)).Sum(e => e.Value);

    public long ErrorCount => Errors.Values.Sum();
}
