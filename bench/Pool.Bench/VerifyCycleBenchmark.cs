using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pool.Bench.Measurement;
using Pool.Bench.Outbound;
using Pool.Bench.Verification;
using Pool.Grains.Verification;
using Pool.Testing;
using Pool.V1;

namespace Pool.Bench;

/// <summary>
/// Outbound verification through the gRPC API, as a client runs it: a fresh database, the Pool host in
/// this process with verification configured and its embedded carrier simulator on (Hong Kong routed to
/// simulated SMSC <c>sim-a</c>, bound by the silo over SMPP on loopback), a tenant of its own, then workers
/// looping StartVerification(to) → the code read at the end user's handset (<see cref="Handset"/>) →
/// CheckVerification(id, code), each to a number not verified before (<see cref="VerificationNumbers"/>).
/// </summary>
internal static class VerifyCycleBenchmark
{
    public const string Tenant = "bench-verify";

    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a worker looks for the code at the handset after StartVerification answered (the SMSC records a submit before answering it).</summary>
    private static readonly TimeSpan s_codeWithin = TimeSpan.FromSeconds(5);

    public static async Task<VerifyCycleResult> RunAsync(BenchSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        await using var database = await TestDatabase.CreateAsync();
        var starting = Stopwatch.GetTimestamp();
        await using var pool = await PoolProcess.StartAsync(database, database.Name, settings: new Dictionary<string, string?>
        {
            [BenchRoute.Settings.Key] = BenchRoute.Settings.Value,
            [$"{VerificationOptions.Section}:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            [$"{VerificationOptions.Section}:IndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        var startup = Stopwatch.GetElapsedTime(starting);
        var simulator = await BenchRoute.MakeHongKongPrimaryAsync(pool, TimeSpan.Zero);
        var handset = new Handset(simulator, BenchRoute.Connection);
        var limits = pool.Services.GetRequiredService<IOptions<VerificationOptions>>().Value;
        var numbers = new VerificationNumbers(limits.MaxPerPrefixPerHour, limits.PrefixDigits);

        using var grpc = GrpcChannel.ForAddress(pool.GrpcAddress);
        var tenant = await CreateTenantAsync(grpc, Authorized.With(grpc, pool.AdminKey), cancellationToken);
        var verification = new Pool.V1.Verification.VerificationClient(tenant);
        await progress.WriteLineAsync(
            $"verify-cycle: silo ready in {startup.TotalSeconds:0.0} s; route {BenchRoute.RouteId} on {BenchRoute.Connection} for {LeaseCycleBenchmark.Country}; " +
            $"limits {limits.MaxPerNumberPerHour} per number and {limits.MaxPerPrefixPerHour} per {limits.PrefixDigits}-digit prefix an hour (unchanged); " +
            $"{settings.Workers} workers, {settings.Warmup.TotalSeconds:0.#} s warm-up + {settings.Duration.TotalSeconds:0.#} s");

        var writesBefore = await LeaseCycleBenchmark.StorageWritesAsync(database);
        var logLinesBefore = pool.Logs.Lines.Count;
        var capacity = Math.Max(1, settings.MaxOperations / settings.Workers);
        var clock = new RunClock(settings.Warmup, settings.Duration);
        var results = await Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(_ =>
            Task.Run(() => WorkAsync(verification, handset, numbers, clock, capacity, cancellationToken), cancellationToken)));
        var writesAfter = await LeaseCycleBenchmark.StorageWritesAsync(database);

        var window = RunClock.ToSeconds(results.Max(r => r.StoppedAt) - clock.MeasureFrom);
        var cycles = results.Sum(r => r.Cycle.Count);
        var allCycles = results.Sum(r => r.AllCycles);
        var writes = writesAfter.ToDictionary(w => w.Key, w => w.Value - writesBefore.GetValueOrDefault(w.Key), StringComparer.Ordinal);
        var siloProblems = pool.Logs.Lines.Skip(logLinesBefore).Where(LeaseCycleBenchmark.IsWarningOrWorse).ToList();
        return new VerifyCycleResult(
            settings.Workers,
            startup.TotalSeconds,
            window,
            cycles,
            window > 0 ? cycles / window : 0,
            Latency.Of(results.Select(r => r.Start)),
            Latency.Of(results.Select(r => r.ReadCode)),
            Latency.Of(results.Select(r => r.Check)),
            Latency.Of(results.Select(r => r.Cycle)),
            ErrorCounts.Merge(results.Select(r => r.Errors)),
            allCycles,
            numbers.Taken,
            numbers.Exhausted,
            writes,
            allCycles == 0 ? 0 : writes.Values.Sum() / (double)allCycles,
            siloProblems.Count,
            [.. siloProblems.Take(5).Select(line => line.Length > 300 ? line[..300] + "…" : line)],
            results.Any(r => r.Cycle.IsFull));
    }

    /// <summary>A tenant of its own with a key; its request rate limit raised so that the workers' pace is not throttled (the verification limits are the silo's, unchanged).</summary>
    private static async Task<CallInvoker> CreateTenantAsync(GrpcChannel grpc, CallInvoker admin, CancellationToken cancellationToken)
    {
        var tenants = new Tenants.TenantsClient(admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = Tenant, Name = "pool-bench verify-cycle" }, cancellationToken: cancellationToken);
        await tenants.UpdateTenantLimitsAsync(
            new UpdateTenantLimitsRequest { Tenant = Tenant, Limits = new TenantLimits { RequestsPerSecond = 10_000 } },
            cancellationToken: cancellationToken);
        var key = await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = Tenant, Label = "pool-bench" }, cancellationToken: cancellationToken);
        return Authorized.With(grpc, key.Secret);
    }

    private static async Task<Worker> WorkAsync(
        Pool.V1.Verification.VerificationClient verification, Handset handset, VerificationNumbers numbers, RunClock clock, int capacity, CancellationToken cancellationToken)
    {
        var worker = new Worker(capacity);
        var maxAttempts = 2L * capacity; // warm-up included: bounded in count as well as in time
        long attempts = 0;
        var now = RunClock.Now;
        while (clock.IsRunning(now) && attempts < maxAttempts && !worker.Cycle.IsFull && numbers.Next() is { } to)
        {
            attempts++;
            var started = now;
            VerificationInfo pending;
            try
            {
                pending = await verification.StartVerificationAsync(
                    new StartVerificationRequest { To = to }, deadline: DateTime.UtcNow + s_callTimeout, cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Errors.Add("StartVerification", ex.StatusCode);
                now = RunClock.Now;
                continue;
            }

            var sent = RunClock.Now;
            var code = await ReadCodeAsync(handset, to, cancellationToken);
            var read = RunClock.Now;
            if (code is null)
            {
                worker.Errors.Add("code not at the handset");
                now = read;
                continue;
            }

            CheckVerificationResponse check;
            try
            {
                check = await verification.CheckVerificationAsync(
                    new CheckVerificationRequest { VerificationId = pending.VerificationId, Code = code },
                    deadline: DateTime.UtcNow + s_callTimeout,
                    cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                worker.Errors.Add("CheckVerification", ex.StatusCode);
                now = RunClock.Now;
                continue;
            }

            now = RunClock.Now;
            if (!check.Valid || check.Verification.Status != VerificationStatus.Approved)
            {
                worker.Errors.Add($"CheckVerification {(check.Valid ? "valid" : "invalid")} {check.Verification.Status}");
                continue;
            }

            worker.AllCycles++;
            if (clock.IsMeasured(started))
            {
                worker.Start.Add(sent - started);
                worker.ReadCode.Add(read - sent);
                worker.Check.Add(now - read);
                worker.Cycle.Add(now - started);
            }
        }

        worker.StoppedAt = now;
        return worker;
    }

    /// <summary>The code of the SMS sent to <paramref name="to"/>, looked for again every few milliseconds for a bounded time; null if it never came.</summary>
    private static async Task<string?> ReadCodeAsync(Handset handset, string to, CancellationToken cancellationToken)
    {
        var deadline = RunClock.Now + (long)(s_codeWithin.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (handset.CodeFor(to) is { } code)
            {
                return code;
            }

            if (RunClock.Now > deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }
    }

    private sealed class Worker(int capacity)
    {
        public LatencySamples Start { get; } = new(capacity);

        public LatencySamples ReadCode { get; } = new(capacity);

        public LatencySamples Check { get; } = new(capacity);

        public LatencySamples Cycle { get; } = new(capacity);

        public ErrorCounts Errors { get; } = new();

        public long AllCycles { get; set; }

        public long StoppedAt { get; set; }
    }
}

/// <summary>
/// What the verify-cycle workers did: approved cycles per second in the measured window; the latency of
/// StartVerification, of reading the code at the handset, of CheckVerification, and of the whole cycle;
/// errors by call and status over the whole run (warm-up included); numbers verified and whether the plan
/// ran out of them; grain state writes per cycle.
/// </summary>
internal sealed record VerifyCycleResult(
    int Workers,
    double SiloStartupSeconds,
    double MeasuredSeconds,
    long Cycles,
    double CyclesPerSecond,
    Latency StartVerification,
    Latency ReadCode,
    Latency CheckVerification,
    Latency Cycle,
    IReadOnlyDictionary<string, long> Errors,
    long CyclesIncludingWarmup,
    long NumbersVerified,
    bool StoppedByNumberPlan,
    IReadOnlyDictionary<string, long> StorageWritesByState,
    double StorageWritesPerCycle,
    int SiloWarnings,
    IReadOnlyList<string> SiloWarningSamples,
    bool StoppedByOperationCap)
{
    public long ErrorCount => Errors.Values.Sum();
}
