using Microsoft.Extensions.DependencyInjection;
using Pool.Carriers.Simulator;
using Pool.Contracts.Routes;
using Pool.Contracts.Simulator;
using Pool.Testing;

namespace Pool.Bench.Outbound;

/// <summary>
/// Hong Kong's outbound route on the embedded carrier simulator of a Pool host started with
/// <see cref="Settings"/>: the silo binds simulated route <see cref="Connection"/>'s SMSC over SMPP on
/// loopback; route <see cref="RouteId"/> on that connection becomes Hong Kong's only primary. What the
/// SMSC accepted stays readable through <see cref="EmbeddedSimulator.SubmissionsOf"/>, as the
/// end-to-end tests read it.
/// </summary>
internal static class BenchRoute
{
    public const string Connection = "sim-a";
    public const string RouteId = "bench-hk";

    private static readonly TimeSpan s_bindWithin = TimeSpan.FromSeconds(60);

    /// <summary>The host setting that starts the embedded simulator.</summary>
    public static KeyValuePair<string, string?> Settings { get; } = new("Pool:Simulator:Enabled", "true");

    /// <summary>
    /// Waits until the silo is bound to <see cref="Connection"/>'s SMSC, makes the SMSC answer each submit_sm
    /// after <paramref name="latency"/>, defines the route and makes it Hong Kong's only primary.
    /// </summary>
    public static async Task<EmbeddedSimulator> MakeHongKongPrimaryAsync(PoolProcess pool, TimeSpan latency)
    {
        var simulator = pool.Services.GetRequiredService<EmbeddedSimulator>();
        var grains = pool.Services.GetRequiredService<Orleans.IGrainFactory>();
        await Eventually.ReturnsAsync(
            () => Task.FromResult(simulator.Routes.Single(r => r.Name == Connection).BoundSessions),
            bound => bound > 0,
            s_bindWithin,
            $"the silo bound to simulated SMSC {Connection}");
        simulator.SetFaults(Connection, new SimulatedFaults(latency, 0, 0, false, 0));
        await grains.GetGrain<ICarrierRouteGrain>(RouteId).UpsertAsync(
            new RouteDefinition(RouteId, Connection, [LeaseCycleBenchmark.Country], [], 0.01m, 1));
        await grains.GetGrain<IRouteTableGrain>(LeaseCycleBenchmark.Country).SetAsync([RouteId], []);
        return simulator;
    }
}
