namespace Pool.Contracts.Simulator;

/// <summary>
/// The simulated carrier routes of a silo, as the silo's carrier side exposes them (a silo service, not a
/// grain); absent when the simulator is off. <see cref="ISimulatorGrain"/> is the operators' handle on it.
/// </summary>
public interface IEmbeddedSimulator
{
    IReadOnlyList<SimulatedRoute> Routes { get; }

    SimulatedRoute SetFaults(string route, SimulatedFaults faults);

    /// <summary>What the route accepted, newest first, at most <paramref name="limit"/>; destinations masked.</summary>
    IReadOnlyList<SimulatedSms> Sent(string route, int limit);

    /// <summary>Sends an MO SMS from the route to Pool; returns how many PDUs or posts it took.</summary>
    Task<int> SendMoAsync(string route, string sender, string recipient, string text, bool sar, CancellationToken cancellationToken);
}
