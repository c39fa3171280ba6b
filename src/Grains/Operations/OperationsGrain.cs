using Orleans.Concurrency;
using Pool.Contracts.Operations;
using Pool.Contracts.Routes;

namespace Pool.Grains.Operations;

/// <summary>
/// Gathers the cluster status: silos from the membership table (with activation counts from each
/// active silo), pools and the webhook backlog from the database (read now, not from the gauges),
/// routes from the route directory, and binds from the <see cref="IBindRegistryGrain"/>.
/// </summary>
[StatelessWorker] // Holds nothing: any silo answers locally, and concurrent status calls do not queue behind one activation.
public sealed class OperationsGrain(OperationsStore store, [FromKeyedServices(PoolClock.Key)] TimeProvider time) : Grain, IOperationsGrain
{
    /// <summary>Dead silos are listed this long after their last "I am alive".</summary>
    private static readonly TimeSpan s_deadShownFor = TimeSpan.FromMinutes(10);

    public async Task<ClusterStatus> GetStatusAsync()
    {
        var now = time.GetUtcNow();
        var silos = SilosAsync(now);
        var routes = GrainFactory.GetGrain<IRouteDirectoryGrain>(0).ListRoutesAsync();
        var binds = GrainFactory.GetGrain<IBindRegistryGrain>(0).ListAsync();
        var (pools, webhooks) = await store.ReadAsync(now);
        return new ClusterStatus(now, await silos, pools, [.. (await routes).Select(Route).OrderBy(r => r.RouteId, StringComparer.Ordinal)], webhooks, await binds);
    }

    private async Task<IReadOnlyList<ClusterSilo>> SilosAsync(DateTimeOffset now)
    {
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var shown = hosts
            .Where(h => h.Status != Orleans.Runtime.SiloStatus.Dead || now - h.IAmAliveTime.ToUniversalTime() < s_deadShownFor)
            .ToList();
        var active = shown.Where(h => h.Status == Orleans.Runtime.SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active);
        var activations = active.Zip(statistics).ToDictionary(pair => pair.First, pair => pair.Second.ActivationCount);
        return [.. shown
            .OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h => new ClusterSilo(
                h.SiloAddress.ToString(), h.SiloName, h.Status.ToString(), activations.GetValueOrDefault(h.SiloAddress), new DateTimeOffset(h.StartTime.ToUniversalTime(), TimeSpan.Zero)))];
    }

    private static RouteStatus Route(RouteInfo route)
    {
        var health = route.Health;
        return new RouteStatus(
            route.Definition.RouteId, route.Definition.Connection, Snake(health.State.ToString()), Snake(health.Circuit.ToString()), Snake(route.Override.ToString()),
            health.Submits, health.Submits == 0 ? null : (double)health.Accepted / health.Submits);
    }

    private static string Snake(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
