using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Pool.Contracts.Routes;

namespace Pool.Grains.Routes;

/// <summary>
/// The "Pool.Routes" meter: <c>pool.routes.unavailable</c> (messages refused because no route could
/// take them, by country and reason — the alert metric), <c>pool.routes.submits</c> (by route and
/// outcome), <c>pool.routes.transitions</c> (state changes, by route and new state) and the gauge
/// <c>pool.routes.state</c> (0 healthy, 1 degraded, 2 down; for the routes active on this silo).
/// </summary>
public sealed class RouteMetrics : IDisposable
{
    public const string MeterName = "Pool.Routes";

    private readonly Meter _meter = new(MeterName);
    private readonly ConcurrentDictionary<string, RouteState> _states = new(StringComparer.Ordinal);
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _submits;
    private readonly Counter<long> _transitions;

    public RouteMetrics()
    {
        _unavailable = _meter.CreateCounter<long>("pool.routes.unavailable", "{message}", "Messages refused because no route could take them");
        _submits = _meter.CreateCounter<long>("pool.routes.submits", "{submit}", "Submits to carriers by route and outcome");
        _transitions = _meter.CreateCounter<long>("pool.routes.transitions", "{transition}", "Route state changes");
        _meter.CreateObservableGauge(
            "pool.routes.state",
            () => _states.Select(pair => new Measurement<int>((int)pair.Value, new KeyValuePair<string, object?>("route", pair.Key))),
            description: "Route state: 0 healthy, 1 degraded, 2 down");
    }

    public void Unavailable(string country, string reason) =>
        _unavailable.Add(1, new KeyValuePair<string, object?>("country", country), new KeyValuePair<string, object?>("reason", reason));

    public void Submitted(string routeId, SubmitOutcome outcome) =>
        _submits.Add(1, new KeyValuePair<string, object?>("route", routeId), new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    public void Transition(string routeId, RouteState state)
    {
        _states[routeId] = state;
        _transitions.Add(1, new KeyValuePair<string, object?>("route", routeId), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
    }

    public void Observe(string routeId, RouteState state) => _states[routeId] = state;

    public void Forget(string routeId) => _states.TryRemove(routeId, out _);

    public void Dispose() => _meter.Dispose();
}
