using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Pool.Contracts.Routes;

namespace Pool.Grains.Routes;

/// <summary>
/// A silo's cached view of route tables and route health, shared by every route selector activation
/// of the silo. This is what keeps selection off hot grains: a country's messages read its table and
/// routes from here, not from the table grain, and each route grain is read at most once per
/// <see cref="RouteSelectionOptions.RouteRefresh"/> per silo. Every outcome a selector records returns
/// the route's new state, which replaces the cached one at once, so the silo that sees a route fail
/// stops using it on the next message; other silos learn within the refresh interval (or on their own
/// next outcome). Freshness runs on the process clock, not the domain clock: it is about staleness of
/// copies, not about business deadlines.
/// </summary>
public sealed class RouteCache(IOptions<RouteSelectionOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry<RouteTable>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<RouteInfo?>> _routes = new(StringComparer.Ordinal);
    private readonly TimeProvider _process = TimeProvider.System;

    public async Task<RouteTable> GetTableAsync(IGrainFactory grains, string country)
    {
        if (_tables.TryGetValue(country, out var cached) && Fresh(cached, options.Value.TableRefresh))
        {
            return cached.Value;
        }

        var table = await grains.GetGrain<IRouteTableGrain>(country).GetAsync();
        Put(table);
        return table;
    }

    public async Task<RouteInfo?> GetRouteAsync(IGrainFactory grains, string routeId)
    {
        if (_routes.TryGetValue(routeId, out var cached) && Fresh(cached, options.Value.RouteRefresh))
        {
            return cached.Value;
        }

        var route = await grains.GetGrain<ICarrierRouteGrain>(routeId).ViewAsync();
        Put(routeId, route);
        return route;
    }

    public void Put(RouteTable table) => _tables[table.Country] = new(table, _process.GetTimestamp());

    public void Put(string routeId, RouteInfo? route) => _routes[routeId] = new(route, _process.GetTimestamp());

    private bool Fresh<T>(Entry<T> entry, TimeSpan refresh) => _process.GetElapsedTime(entry.FetchedAt) < refresh;

    private sealed record Entry<T>(T Value, long FetchedAt);
}
