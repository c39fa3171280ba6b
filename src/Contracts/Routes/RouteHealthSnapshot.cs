namespace Pool.Contracts.Routes;

/// <summary>How a route is judged from its recent traffic.</summary>
[GenerateSerializer, Alias("pool.RouteState")]
public enum RouteState
{
    /// <summary>Takes traffic first.</summary>
    Healthy = 0,

    /// <summary>Takes traffic only when its list has no healthy route.</summary>
    Degraded = 1,

    /// <summary>Its circuit is open (or half-open): no traffic but probes.</summary>
    Down = 2,
}

/// <summary>The route's circuit breaker.</summary>
[GenerateSerializer, Alias("pool.CircuitState")]
public enum CircuitState
{
    /// <summary>Traffic flows.</summary>
    Closed = 0,

    /// <summary>No traffic until the cool-off ends.</summary>
    Open = 1,

    /// <summary>A few probe messages go through; their results close or re-open the circuit.</summary>
    HalfOpen = 2,
}

/// <summary>What a carrier answered to one submit, as route health counts it.</summary>
[GenerateSerializer, Alias("pool.SubmitOutcome")]
public enum SubmitOutcome
{
    Accepted = 0,

    /// <summary>The carrier refused the message (an error response, a dropped bind).</summary>
    Error = 1,

    /// <summary>The carrier asked us to slow down; half a failure.</summary>
    Throttled = 2,

    /// <summary>No answer in time.</summary>
    Timeout = 3,
}

/// <summary>
/// A route's live health at one moment: its state, breaker, score and the counts it was computed from
/// (the sliding window's content), and why it is in that state.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.RouteHealthSnapshot")]
public sealed record RouteHealthSnapshot(
    [property: Id(0)] RouteState State,
    [property: Id(1)] CircuitState Circuit,
    [property: Id(2)] double Score,
    [property: Id(3)] int Accepted,
    [property: Id(4)] int Errors,
    [property: Id(5)] int Throttled,
    [property: Id(6)] int Timeouts,
    [property: Id(7)] int Delivered,
    [property: Id(8)] int Undelivered,
    [property: Id(9)] TimeSpan? MeanLatency,
    [property: Id(10)] DateTimeOffset? OpenUntil,
    [property: Id(11)] DateTimeOffset? HoldUntil,
    [property: Id(12)] string Reason)
{
    /// <summary>A route nothing is known about yet: healthy, closed, score 1.</summary>
    public static RouteHealthSnapshot Neutral { get; } = new(RouteState.Healthy, CircuitState.Closed, 1, 0, 0, 0, 0, 0, 0, null, null, null, "no traffic yet");

    /// <summary>Submit outcomes in the window.</summary>
    public int Submits => Accepted + Errors + Throttled + Timeouts;
}
