using System.Globalization;
using Pool.Contracts.Routes;

namespace Pool.Grains.Routes;

/// <summary>
/// The order in which a country's routes are tried for one destination (pure; the selector adds probe
/// places). Tiers, best first: a primary route whose circuit waits for probes (it gets the message as a
/// probe when a place is free: probes are how a failed primary comes back); healthy primaries; degraded
/// primaries; the same three for the secondary list; last, routes that recovered but are still inside
/// their hold period (primary first) — used only when nothing else can carry the message. Within a
/// tier: lower priority number first, then lower cost, then table order.
/// </summary>
public static class RouteRanking
{
    public static IReadOnlyList<WeighedRoute> Weigh(
        string destination, string country, RouteTable table, IReadOnlyDictionary<string, RouteInfo?> routes, DateTimeOffset now, IReadOnlySet<string> tried)
    {
        var weighed = new List<WeighedRoute>();
        var order = 0;
        foreach (var (list, ids) in new[] { (RouteList.Primary, table.Primary), (RouteList.Secondary, table.Secondary) })
        {
            foreach (var routeId in ids)
            {
                weighed.Add(Weigh(destination, country, list, routeId, routes.GetValueOrDefault(routeId), now, tried) with { TableOrder = order++ });
            }
        }

        return weighed
            .OrderBy(w => w.Tier ?? int.MaxValue)
            .ThenBy(w => w.Route?.Definition.Priority ?? int.MaxValue)
            .ThenBy(w => w.Route?.Definition.Cost ?? decimal.MaxValue)
            .ThenBy(w => w.TableOrder)
            .ToList();
    }

    private static WeighedRoute Weigh(string destination, string country, RouteList list, string routeId, RouteInfo? route, DateTimeOffset now, IReadOnlySet<string> tried)
    {
        var offset = list == RouteList.Primary ? 0 : 3;
        WeighedRoute Out(string reason) => new(routeId, list, route, null, false, reason);
        WeighedRoute In(int tier, bool probe, string reason) => new(routeId, list, route, tier, probe, reason);

        if (route is null)
        {
            return Out("not defined");
        }

        var definition = route.Definition;
        var health = route.Health;
        if (tried.Contains(routeId))
        {
            return Out("already tried for this message");
        }

        if (!definition.Enabled)
        {
            return Out("disabled in its definition");
        }

        if (route.Override == RouteOverride.Disable)
        {
            return Out("disabled by an operator");
        }

        if (route.Override == RouteOverride.Drain)
        {
            return Out("draining (operator): takes no new messages");
        }

        if (!definition.Serves(destination, country))
        {
            return Out($"does not serve this destination (countries: {Join(definition.Countries)}; prefixes: {Join(definition.Prefixes)})");
        }

        var rank = $"priority {definition.Priority}, cost {definition.Cost.ToString(CultureInfo.InvariantCulture)}";
        switch (health.Circuit)
        {
            case CircuitState.Open when health.OpenUntil > now:
                return Out($"down: circuit open until {health.OpenUntil:u} ({health.Reason})");
            case CircuitState.Open or CircuitState.HalfOpen:
                return In(offset, probe: true, $"down, half-open: takes probe messages only ({health.Reason})");
        }

        if (health.HoldUntil is { } hold && hold > now)
        {
            return In(6 + (list == RouteList.Primary ? 0 : 1), probe: false, $"recovered but held back until {hold:u}: last resort ({rank})");
        }

        return health.State == RouteState.Degraded
            ? In(offset + 2, probe: false, $"degraded, score {Score(health.Score)} ({health.Reason}); {rank}")
            : In(offset + 1, probe: false, $"healthy, score {Score(health.Score)}; {rank}");
    }

    private static string Join(IReadOnlyList<string> values) => values.Count == 0 ? "any" : string.Join(',', values);

    private static string Score(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>One route as weighed for one message: its tier (null: not usable) and why.</summary>
public sealed record WeighedRoute(string RouteId, RouteList List, RouteInfo? Route, int? Tier, bool Probe, string Reason)
{
    public int TableOrder { get; init; }

    public RouteConsideration Consider(bool taken, string reason) =>
        new(RouteId, List, Route?.Health.State, Route?.Health.Circuit, Route?.Health.Score, taken, reason);
}
