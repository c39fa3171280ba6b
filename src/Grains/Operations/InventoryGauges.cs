using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Pool.Contracts.Operations;

namespace Pool.Grains.Operations;

/// <summary>
/// The "Pool.Inventory" meter: gauges read from the database — <c>pool.leases.active</c>,
/// <c>pool.numbers.available</c>, <c>pool.numbers.watchlisted</c> (by pool), <c>pool.numbers</c> (by
/// pool and state: available, leased, cooling, watchlisted, retired) and <c>pool.webhooks.backlog</c>
/// (webhook deliveries pending). One query refreshes them every <see cref="RefreshInterval"/> in the
/// background, never per scrape; while the database is down the last values stay (a scrape never
/// fails for it). Every silo reports the same values: dashboards take max() across instances.
/// The meter is one per process, like Pool's other meters: a process hosting several Pools over one
/// database (the tests) reports the latest refresh of any of them, and a host stopping never takes
/// the instruments away from the others.
/// </summary>
public sealed partial class InventoryGauges : BackgroundService
{
    public const string MeterName = "Pool.Inventory";

    /// <summary>How often the gauges are read from the database.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(15);

    private static readonly Meter s_meter = CreateMeter();
    private static volatile Snapshot? s_last;

    private readonly OperationsStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<InventoryGauges> _logger;

    private static Meter CreateMeter()
    {
        var meter = new Meter(MeterName);
        meter.CreateObservableGauge("pool.leases.active", () => PerPool(p => p.Leased), "{lease}", "Active leases, by pool");
        meter.CreateObservableGauge("pool.numbers.available", () => PerPool(p => p.Available), "{number}", "Numbers ready to lease, by pool");
        meter.CreateObservableGauge("pool.numbers.watchlisted", () => PerPool(p => p.Watchlisted), "{number}", "Numbers quarantined on the watchlist, by pool");
        meter.CreateObservableGauge("pool.numbers", ByState, "{number}", "Numbers by pool and state");
        meter.CreateObservableGauge(
            "pool.webhooks.backlog",
            () => s_last is { } last ? [new Measurement<long>(last.Webhooks.Pending)] : Array.Empty<Measurement<long>>(),
            "{delivery}",
            "Webhook deliveries pending (not yet delivered nor given up)");
        return meter;
    }

    public InventoryGauges(OperationsStore store, TimeProvider time, ILogger<InventoryGauges> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        do
        {
            try
            {
                var (pools, webhooks) = await _store.ReadAsync(_time.GetUtcNow(), stoppingToken);
                s_last = new Snapshot(pools, webhooks);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever failed (database down, a slow query), the gauges keep their last values and the loop goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // The last values stay; the next tick tries again.
                LogRefreshFailed(_logger, ex.GetType().Name);
            }
        }
        while (await NextAsync(timer, stoppingToken));
    }

    private static IEnumerable<Measurement<int>> PerPool(Func<PoolCounts, int> value) =>
        (s_last?.Pools ?? []).Select(p => new Measurement<int>(value(p), new KeyValuePair<string, object?>("pool", p.PoolId)));

    private static IEnumerable<Measurement<int>> ByState()
    {
        foreach (var p in s_last?.Pools ?? [])
        {
            yield return State(p, "available", p.Available);
            yield return State(p, "leased", p.Leased);
            yield return State(p, "cooling", p.Cooling);
            yield return State(p, "watchlisted", p.Watchlisted);
            yield return State(p, "retired", p.Retired);
        }
    }

    private static Measurement<int> State(PoolCounts pool, string state, int value) =>
        new(value, new KeyValuePair<string, object?>("pool", pool.PoolId), new KeyValuePair<string, object?>("state", state));

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record Snapshot(IReadOnlyList<PoolCounts> Pools, WebhookBacklog Webhooks);

    [LoggerMessage(EventId = 9502, Level = LogLevel.Warning, Message = "Could not refresh the inventory gauges ({Error}); keeping the last values")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
