namespace Pool.Contracts.Routes;

/// <summary>
/// Why a message takes the route it takes: the chosen route (null when none is usable), the list it
/// came from and, for every route of the country's table in the order they were weighed, its state and
/// why it was or was not taken. The destination appears only masked.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.RouteDecision")]
public sealed record RouteDecision(
    [property: Id(0)] string Destination,
    [property: Id(1)] string Country,
    [property: Id(2)] string? RouteId,
    [property: Id(3)] string? Connection,
    [property: Id(4)] RouteList? List,
    [property: Id(5)] bool Probe,
    [property: Id(6)] IReadOnlyList<RouteConsideration> Considered,
    [property: Id(7)] string Summary);

/// <summary>One route weighed for a message.</summary>
[GenerateSerializer, Immutable, Alias("pool.RouteConsideration")]
public sealed record RouteConsideration(
    [property: Id(0)] string RouteId,
    [property: Id(1)] RouteList List,
    [property: Id(2)] RouteState? State,
    [property: Id(3)] CircuitState? Circuit,
    [property: Id(4)] double? Score,
    [property: Id(5)] bool Taken,
    [property: Id(6)] string Reason);
