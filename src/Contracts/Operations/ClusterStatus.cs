namespace Pool.Contracts.Operations;

/// <summary>One screen of the cluster's health: what <see cref="IOperationsGrain.GetStatusAsync"/> answers.</summary>
[GenerateSerializer, Immutable, Alias("pool.ClusterStatus")]
public sealed record ClusterStatus(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] IReadOnlyList<ClusterSilo> Silos,
    [property: Id(2)] IReadOnlyList<PoolCounts> Pools,
    [property: Id(3)] IReadOnlyList<RouteStatus> Routes,
    [property: Id(4)] WebhookBacklog Webhooks,
    [property: Id(5)] IReadOnlyList<BindStatus> Binds);

/// <summary>A silo of the membership table: its address (host:port:generation), status (Active, Joining, ShuttingDown, Dead…), grain activations (0 when not active) and start time.</summary>
[GenerateSerializer, Immutable, Alias("pool.ClusterSilo")]
public sealed record ClusterSilo(
    [property: Id(0)] string Address,
    [property: Id(1)] string Name,
    [property: Id(2)] string Status,
    [property: Id(3)] int Activations,
    [property: Id(4)] DateTimeOffset? StartedAt);

/// <summary>A pool's numbers by effective state (an elapsed cooldown or quarantine counts as available).</summary>
[GenerateSerializer, Immutable, Alias("pool.PoolCounts")]
public sealed record PoolCounts(
    [property: Id(0)] string PoolId,
    [property: Id(1)] string Country,
    [property: Id(2)] int Available,
    [property: Id(3)] int Leased,
    [property: Id(4)] int Cooling,
    [property: Id(5)] int Watchlisted,
    [property: Id(6)] int Retired)
{
    /// <summary>Every number of the pool, retired ones included.</summary>
    public int Total => Available + Leased + Cooling + Watchlisted + Retired;

    /// <summary>Available numbers in percent of the numbers not retired (0 for an empty pool).</summary>
    public double PercentAvailable => Total - Retired == 0 ? 0 : 100.0 * Available / (Total - Retired);
}

/// <summary>
/// A carrier route: its SMPP/HTTP connection, state (healthy, degraded, down), circuit (closed, open,
/// half_open), operator override, and submits in the health window with the share accepted (null without submits).
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.RouteStatus")]
public sealed record RouteStatus(
    [property: Id(0)] string RouteId,
    [property: Id(1)] string Connection,
    [property: Id(2)] string State,
    [property: Id(3)] string Circuit,
    [property: Id(4)] string Override,
    [property: Id(5)] int Submits,
    [property: Id(6)] double? SuccessRate);

/// <summary>Webhook deliveries still pending (not delivered, not given up) and how long the oldest has waited.</summary>
[GenerateSerializer, Immutable, Alias("pool.WebhookBacklog")]
public sealed record WebhookBacklog(
    [property: Id(0)] long Pending,
    [property: Id(1)] TimeSpan? OldestAge);

/// <summary>
/// An SMPP bind as its silo last reported it: state (disconnected, connecting, bound, stopped), the
/// submit_sm in flight and the window size, ESME_RTHROTTLED answers since the bind started, and when
/// it was reported; <see cref="Stale"/> when the silo has not reported for 3 report intervals.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.BindStatus")]
public sealed record BindStatus(
    [property: Id(0)] string Connection,
    [property: Id(1)] string Silo,
    [property: Id(2)] string State,
    [property: Id(3)] int WindowInUse,
    [property: Id(4)] int WindowSize,
    [property: Id(5)] long Throttles,
    [property: Id(6)] DateTimeOffset ReportedAt,
    [property: Id(7)] bool Stale);

/// <summary>What one silo reports about one of its binds.</summary>
[GenerateSerializer, Immutable, Alias("pool.BindReport")]
public sealed record BindReport(
    [property: Id(0)] string Connection,
    [property: Id(1)] string State,
    [property: Id(2)] int WindowInUse,
    [property: Id(3)] int WindowSize,
    [property: Id(4)] long Throttles);

/// <summary>Gathers <see cref="ClusterStatus"/> from membership, the database, route grains and the bind registry. Key 0.</summary>
[Alias("pool.IOperationsGrain")]
public interface IOperationsGrain : IGrainWithIntegerKey
{
    /// <summary>The status now. Throws <see cref="Errors.PoolException"/> with Unavailable when the database cannot be read.</summary>
    [Alias("GetStatus")]
    Task<ClusterStatus> GetStatusAsync();
}

/// <summary>
/// Where every silo reports its SMPP binds (every <see cref="ReportInterval"/>), so one call sees the
/// binds of the whole cluster. Key 0. In memory only: after the grain moves, the next round of reports
/// fills it again.
/// </summary>
[Alias("pool.IBindRegistryGrain")]
public interface IBindRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>How often a silo reports; a silo silent for 3 intervals has its binds shown stale, for 10 they are dropped.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(5);

    /// <summary>Replaces what <paramref name="silo"/> reported before with <paramref name="binds"/>.</summary>
    [Alias("Report")]
    Task ReportAsync(string silo, IReadOnlyList<BindReport> binds);

    /// <summary>Every silo's binds, ordered by connection then silo.</summary>
    [Alias("List")]
    Task<IReadOnlyList<BindStatus>> ListAsync();
}
