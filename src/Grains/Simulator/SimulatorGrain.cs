using Orleans.Placement;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Simulator;
using Pool.Grains.Audit;

namespace Pool.Grains.Simulator;

/// <summary>Operators' handle on the embedded simulator of the silo it is placed on.</summary>
[PreferLocalPlacement] // The simulator lives in a silo process: the caller's own (a local run hosts silo, API and simulator together).
public sealed class SimulatorGrain(IServiceProvider services) : Grain, ISimulatorGrain
{
    private IEmbeddedSimulator Simulator => services.GetService<IEmbeddedSimulator>()
        ?? throw new PoolException(PoolErrorCode.FailedPrecondition, "the carrier simulator is not running on this silo (set Pool:Simulator:Enabled=true)");

    public Task<IReadOnlyList<SimulatedRoute>> ListAsync() => Task.FromResult(Simulator.Routes);

    public async Task<SimulatedRoute> SetFaultsAsync(string route, SimulatedFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        Check(faults.SubmitErrorRate, "submit_error_rate");
        Check(faults.ThrottleRate, "throttle_rate");
        Check(faults.DlrFailureRate, "dlr_failure_rate");
        if (faults.Latency < TimeSpan.Zero || faults.Latency > TimeSpan.FromMinutes(1))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"latency {faults.Latency} is out of range (0 to 1 minute)", "latency");
        }

        var name = Known(route);
        var before = Simulator.Routes.First(r => r.Name == name).Faults;
        var (changedBefore, changedAfter) = AuditDiff.Of(before, faults);

        // The simulator's faults live in memory only: the audit row is committed first, so a change is never left unaudited.
        await GrainFactory.GetGrain<IAuditLogGrain>(0).AppendAsync(new AuditRecord(AuditActor.Current, "simulator.fault", $"simulator/{name}", changedBefore, changedAfter));
        return Simulator.SetFaults(name, faults);
    }

    public Task<IReadOnlyList<SimulatedSms>> ListSentAsync(string route, int limit) =>
        Task.FromResult(Simulator.Sent(Known(route), Math.Clamp(limit, 1, 500)));

    public Task<int> SendMoAsync(string route, string sender, string recipient, string text, bool sar) =>
        Simulator.SendMoAsync(Known(route), sender, recipient, text, sar, CancellationToken.None);

    private string Known(string route) =>
        Simulator.Routes.Any(r => r.Name == route)
            ? route
            : throw new PoolException(PoolErrorCode.NotFound, $"no simulated route '{route}' (routes: {string.Join(", ", Simulator.Routes.Select(r => r.Name))})", "route");

    private static void Check(double rate, string field)
    {
        if (rate is < 0 or > 1 || double.IsNaN(rate))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"{rate} is not a rate between 0 and 1", field);
        }
    }
}
