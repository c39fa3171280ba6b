using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pool.Testing;
using Pool.V1;
using Xunit.Abstractions;

namespace Pool.Resilience.Tests;

/// <summary>
/// One resilience scenario's world: a PostgreSQL server of its own (so stopping it touches no other test),
/// a three-silo cluster on it, a pool of numbers, the retrying client, the carrier and the load.
/// Disposing stops every process it started.
/// </summary>
public sealed class ResilienceRun : IAsyncDisposable
{
    public const int Silos = 3;
    public const int PoolSize = 40;
    public const int Workers = 6;
    public const string Carrier = "load";
    private const string CarrierSecret = "resilience-carrier-secret-0123456789";

    private readonly ITestOutputHelper _output;
    private readonly List<string> _report = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    private ResilienceRun(ITestOutputHelper output, string scenario, PrivatePostgres postgres, TestDatabase database, LocalCluster cluster)
    {
        _output = output;
        Scenario = scenario;
        Postgres = postgres;
        Database = database;
        Cluster = cluster;
        Tables = new PoolTables(database.ConnectionString);
        Client = new RetryingClient(cluster.Members.Select(m => m.GrpcAddress), cluster.AdminKey);
        Sender = new CarrierSender([.. cluster.Members.Select(m => m.HttpAddress)], Carrier, CarrierSecret);
        PoolName = $"res-{Guid.NewGuid():n}"[..16];
        var block = Random.Shared.Next(10, 100);
        Numbers = [.. Enumerable.Range(0, PoolSize).Select(i => string.Create(CultureInfo.InvariantCulture, $"+8526{block}{i:D5}"))];
        Load = new LeaseLoad(Client, Sender, PoolName, Workers);
    }

    public string Scenario { get; }

    public PrivatePostgres Postgres { get; }

    public TestDatabase Database { get; }

    public LocalCluster Cluster { get; }

    public PoolTables Tables { get; }

    public RetryingClient Client { get; }

    public CarrierSender Sender { get; }

    public LeaseLoad Load { get; }

    public string PoolName { get; }

    public IReadOnlyList<string> Numbers { get; }

    /// <summary>When <see cref="StartLoadAsync"/> was called.</summary>
    public DateTimeOffset LoadStarted { get; private set; }

    /// <summary>
    /// Abandons <paramref name="abandoned"/> leases (shortest TTL, never released: they fall due inside the
    /// scenario and the cluster must expire them), then starts the lease/release load.
    /// </summary>
    public async Task StartLoadAsync(int abandoned = 0)
    {
        LoadStarted = DateTimeOffset.UtcNow;
        if (abandoned > 0)
        {
            await Load.AbandonAsync(abandoned);
        }

        Load.Start();
    }

    /// <summary>Starts PostgreSQL, the cluster and a pool whose numbers can serve again a second after a lease.</summary>
    public static async Task<ResilienceRun> StartAsync(ITestOutputHelper output, string scenario)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var postgres = await PrivatePostgres.StartAsync();
        LocalCluster? cluster = null;
        try
        {
            // Not dropped: it goes with the private server's files.
            var database = await TestDatabase.CreateAsync(postgres.ServerConnectionString);
            cluster = await LocalCluster.StartAsync(database, Silos, new Dictionary<string, string> { [$"Pool:Carriers:{Carrier}:Secret"] = CarrierSecret });
            var run = new ResilienceRun(output, scenario, postgres, database, cluster);
            await run.ProvisionAsync();
            run.Say($"set-up: PostgreSQL on port {postgres.Port}, {Silos} silos ready, pool of {run.Numbers.Count} numbers in {clock.Elapsed.TotalSeconds:0.0} s; logs in {cluster.LogDirectory}");
            return run;
        }
        catch
        {
            cluster?.Dispose();
            await postgres.DisposeAsync();
            throw;
        }
    }

    private async Task ProvisionAsync()
    {
        var policy = new PoolPolicy
        {
            DefaultTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
            Cooldown = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            ReuseWindow = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            MaxUses = 1_000_000,
            SilentLeaseLimit = 1000,
            BadNumberLimit = 1000,
            FloodMessagesPerHour = 100_000,
        };
        await Client.AdminAsync("CreatePool", (invoker, options) => new Pools.PoolsClient(invoker).CreatePoolAsync(
            new CreatePoolRequest { Pool = PoolName, Country = "HK", Policy = policy, IdempotencyKey = "provision-pool" }, options).ResponseAsync);
        await Client.AdminAsync("AddNumbers", (invoker, options) => new Numbers.NumbersClient(invoker).AddNumbersAsync(
            new AddNumbersRequest { Pool = PoolName, Country = "HK", Numbers = { Numbers }, IdempotencyKey = "provision-numbers" }, options).ResponseAsync);
        // The load's leases end without SMS most of the time: the anti-scan rule must not judge this tenant.
        await Client.AdminAsync("UpdateTenantLimits", (invoker, options) => new Tenants.TenantsClient(invoker).UpdateTenantLimitsAsync(
            new UpdateTenantLimitsRequest
            {
                Tenant = Silo.Database.AdminKeys.OperatorsTenant,
                Limits = new TenantLimits { RequestsPerSecond = 10_000, MaxActiveLeases = 100_000, ScanWindow = 10_000, ScanMinLeases = 10_000, ScanSilentPercent = 100, ScanCooloff = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) },
                IdempotencyKey = "provision-limits",
            },
            options).ResponseAsync);
    }

    /// <summary>A line of the scenario's report: to the test output and to .data/resilience/{scenario}.txt.</summary>
    public void Say(string line)
    {
        var stamped = $"[{(DateTimeOffset.UtcNow - _started).TotalSeconds,6:0.0} s] {line}";
        _report.Add(stamped);
        _output.WriteLine(stamped);
    }

    /// <summary>The load's calls: tries, retried calls, failures after retries by status, and the longest time without a successful call.</summary>
    public void ReportCalls(DateTimeOffset from, DateTimeOffset until)
    {
        var attempts = Client.Attempts.Where(a => a.Operation is "CreateLease" or "ReleaseLease").ToList();
        var cycles = Load.Cycles.ToList();
        var sms = Sender.Sent.ToList();
        Say($"leases: {cycles.Count} asked, {cycles.Count(c => c.AcknowledgedAt is not null)} acknowledged, {cycles.Count(c => c.ReleasedAt is not null)} released; " +
            $"{LeaseLoad.CyclePeriod.TotalSeconds:0.#} s per cycle per worker, {Workers} workers");
        Say($"tries: {attempts.Count} ({attempts.Count(a => a.Code == StatusCode.OK)} OK); failed tries by status: {Describe(attempts.Where(a => a.Code != StatusCode.OK).Select(a => a.Code))}");
        Say($"calls retried: {attempts.Count(a => a.Attempt == 2)}, most tries for one call: {(attempts.Count > 0 ? attempts.Max(a => a.Attempt) : 0)}");
        Say($"failed after the client's retries: CreateLease {cycles.Count(c => c.CreateFailure is not null)} ({Describe(cycles.Where(c => c.CreateFailure is not null).Select(c => c.CreateFailure!.Value))}), " +
            $"ReleaseLease {cycles.Count(c => c.ReleaseFailure is not null)} ({Describe(cycles.Where(c => c.ReleaseFailure is not null).Select(c => c.ReleaseFailure!.Value))})");
        Say($"inbound SMS: {sms.Count} posted, {sms.Count(s => s.Accepted)} accepted ({Describe(sms.Where(s => s.Accepted).Select(s => s.Outcome ?? "?"))}), " +
            $"{sms.Count(s => s.Attempts > 1)} sent more than once, {sms.Count(s => !s.Accepted)} never accepted");
        Say($"longest time with no successful lease call: {LongestGap(attempts, from, until).TotalSeconds:0.00} s");
    }

    /// <summary>The longest stretch between <paramref name="from"/> and <paramref name="until"/> in which no try succeeded.</summary>
    public static TimeSpan LongestGap(IEnumerable<CallAttempt> attempts, DateTimeOffset from, DateTimeOffset until)
    {
        var marks = attempts.Where(a => a.Code == StatusCode.OK && a.EndedAt >= from && a.EndedAt <= until).Select(a => a.EndedAt).Order().ToList();
        marks.Insert(0, from);
        marks.Add(until);
        return marks.Zip(marks.Skip(1), (a, b) => b - a).Max();
    }

    public static string Describe<T>(IEnumerable<T> values) where T : notnull
    {
        var groups = values.GroupBy(v => v.ToString()).Select(g => $"{g.Key} × {g.Count()}").ToList();
        return groups.Count == 0 ? "none" : string.Join(", ", groups);
    }

    public async ValueTask DisposeAsync()
    {
        if (Load.Cycles.Count > 0)
        {
            await Load.StopAsync();
        }

        Load.Dispose();
        Client.Dispose();
        Sender.Dispose();
        Cluster.Dispose();
        await Postgres.DisposeAsync();
        try
        {
            var directory = Path.Combine(Repository.Root, ".data", "resilience");
            Directory.CreateDirectory(directory);
            await File.WriteAllLinesAsync(Path.Combine(directory, $"{Scenario}.txt"), _report);
        }
        catch (IOException ex)
        {
            _output.WriteLine($"the report was not saved: {ex.Message}");
        }
    }
}
