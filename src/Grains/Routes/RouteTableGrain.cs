using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Grains.Audit;
using Pool.Grains.Persistence;

namespace Pool.Grains.Routes;

/// <summary>
/// A country's primary and secondary route lists (state name "route-table"). Read by selectors through
/// their silo's <see cref="RouteCache"/>, not per message: this grain sees only operator changes and
/// cache refreshes.
/// </summary>
public sealed class RouteTableGrain(
    [PersistentState("route-table", PoolStorage.Name)] IPersistentState<RouteTableState> state,
    RouteStore store,
    RouteCache cache,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<RouteTableGrain> logger) : Grain, IRouteTableGrain
{
    private string Country => this.GetPrimaryKeyString();

    public async Task<RouteTable> SetAsync(IReadOnlyList<string> primary, IReadOnlyList<string> secondary)
    {
        if (!Pool.Sms.Numbers.Country.TryNormalize(Country, out var country, out var error) || country != Country)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"country {error ?? $"'{Country}' must be written in upper case"}", "country");
        }

        primary ??= [];
        secondary ??= [];
        if (primary.Count == 0)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "the primary list needs at least one route", "primary");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, ids) in new[] { ("primary", primary), ("secondary", secondary) })
        {
            foreach (var routeId in ids)
            {
                if (!seen.Add(routeId))
                {
                    throw new PoolException(PoolErrorCode.InvalidArgument, $"route '{routeId}' appears more than once in the table", field);
                }

                if (await GrainFactory.GetGrain<ICarrierRouteGrain>(routeId).ViewAsync() is null)
                {
                    throw new PoolException(PoolErrorCode.InvalidArgument, $"route '{routeId}' is not defined", field);
                }
            }
        }

        var previous = state.State.Table;
        var table = new RouteTable(Country, [.. primary], [.. secondary], time.GetUtcNow());
        state.State.Table = table;
        try
        {
            var (before, after) = AuditDiff.Of(
                previous is null ? null : new { primary = previous.Primary, secondary = previous.Secondary },
                new { primary = table.Primary, secondary = table.Secondary });
            await state.WriteOrDeactivateAsync(this, logger, new AuditRecord(AuditActor.Current, "route_table.set", $"route_table/{Country}", before, after));
        }
        catch (PoolException)
        {
            state.State.Table = previous;
            throw;
        }

        await store.UpsertTableAsync(table);
        cache.Put(table);
        RouteLog.TableSet(logger, Country, table.Primary, table.Secondary);
        return table;
    }

    public Task<RouteTable> GetAsync() => Task.FromResult(state.State.Table ?? RouteTable.Empty(Country));
}

/// <summary>The persisted table (state name "route-table", unique in the solution).</summary>
[GenerateSerializer, Alias("pool.RouteTableState")]
public sealed class RouteTableState
{
    [Id(0)]
    public RouteTable? Table { get; set; }
}
