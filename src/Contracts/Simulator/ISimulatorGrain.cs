namespace Pool.Contracts.Simulator;

/// <summary>Faults injected into a simulated carrier route; every field is independent.</summary>
[GenerateSerializer, Immutable, Alias("pool.SimulatedFaults")]
public sealed record SimulatedFaults(
    [property: Id(0)] TimeSpan Latency,
    [property: Id(1)] double SubmitErrorRate,
    [property: Id(2)] double ThrottleRate,
    [property: Id(3)] bool Outage,
    [property: Id(4)] double DlrFailureRate);

/// <summary>A simulated carrier route (an SMSC on loopback) as operators see it.</summary>
[GenerateSerializer, Immutable, Alias("pool.SimulatedRoute")]
public sealed record SimulatedRoute(
    [property: Id(0)] string Name,
    [property: Id(1)] int Port,
    [property: Id(2)] SimulatedFaults Faults,
    [property: Id(3)] int BoundSessions,
    [property: Id(4)] int Submissions,
    [property: Id(5)] int ThrottledAnswers,
    [property: Id(6)] int RefusedBinds);

/// <summary>An SMS a simulated route accepted from Pool: what the end user's handset would show.</summary>
[GenerateSerializer, Immutable, Alias("pool.SimulatedSms")]
public sealed record SimulatedSms(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string From,
    [property: Id(2)] string ToMasked,
    [property: Id(3)] string Text,
    [property: Id(4)] DateTimeOffset At);

/// <summary>
/// The embedded carrier simulator of the silo that hosts it (local runs, demos, load tests): its routes,
/// their faults, and MO messages sent from them. Placed on the caller's silo, which in a local run is
/// the one process hosting silo, API and simulator.
/// </summary>
[Alias("pool.ISimulatorGrain")]
public interface ISimulatorGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<SimulatedRoute>> ListAsync();

    /// <summary>Replaces the faults of <paramref name="route"/>; effective for the next PDU.</summary>
    [Alias("SetFaults")]
    Task<SimulatedRoute> SetFaultsAsync(string route, SimulatedFaults faults);

    /// <summary>Sends an MO SMS from the route's SMSC to Pool (to one of Pool's numbers); returns how many parts it took.</summary>
    /// <summary>The latest SMS <paramref name="route"/> accepted from Pool, newest first (at most <paramref name="limit"/>).</summary>
    [Alias("Handset")]
    Task<IReadOnlyList<SimulatedSms>> ListSentAsync(string route, int limit);

    [Alias("SendMo")]
    Task<int> SendMoAsync(string route, string sender, string recipient, string text, bool sar);
}
