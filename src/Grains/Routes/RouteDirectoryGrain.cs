using Orleans.Concurrency;
using Pool.Contracts.Routes;

namespace Pool.Grains.Routes;

[StatelessWorker] // Read-only listings over the route projections: served on the caller's silo, several at once.
public sealed class RouteDirectoryGrain(RouteStore store) : Grain, IRouteDirectoryGrain
{
    public async Task<IReadOnlyList<RouteInfo>> ListRoutesAsync()
    {
        var ids = await store.ListRouteIdsAsync();
        var routes = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ICarrierRouteGrain>(id).ViewAsync()));
        return routes.OfType<RouteInfo>().ToList();
    }

    public Task<IReadOnlyList<RouteTable>> ListTablesAsync() => store.ListTablesAsync();
}
