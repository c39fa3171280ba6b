using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pool.Carriers.Simulator;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Contracts.Simulator;
using Pool.Testing;

namespace Pool.Bench.Outbound;

/// <summary>
/// The same bind inside the real Pool host: a fresh database, the host in this process with its embedded
/// simulator (the silo binds simulated route <c>sim-a</c>'s SMSC over SMPP on loopback), one route on
/// that connection as Hong Kong's only primary, and the senders calling the route selector
/// (<see cref="IRouteSelectorGrain"/>, key 0) through the host's grain factory: route choice, submit_sm
/// over the silo's bind, the route's outcome count, the sent message's row in PostgreSQL.
/// </summary>
internal static class SiloSubmits
{
    public const string Connection = "sim-a";
    public const string RouteId = "bench-hk";

    private static readonly TimeSpan s_bindWithin = TimeSpan.FromSeconds(60);

    public static async Task<OutboundLayer> RunAsync(BenchSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        await using var database = await TestDatabase.CreateAsync();
        var starting = Stopwatch.GetTimestamp();
        await using var pool = await PoolProcess.StartAsync(
            database, database.Name, settings: new Dictionary<string, string?> { ["Pool:Simulator:Enabled"] = "true" });
        var startup = Stopwatch.GetElapsedTime(starting);
        var simulator = pool.Services.GetRequiredService<EmbeddedSimulator>();
        var grains = pool.Services.GetRequiredService<Orleans.IGrainFactory>();

        await Eventually.ReturnsAsync(
            () => Task.FromResult(simulator.Routes.Single(r => r.Name == Connection).BoundSessions),
            bound => bound > 0,
            s_bindWithin,
            $"the silo bound to simulated SMSC {Connection}");
        simulator.SetFaults(Connection, new SimulatedFaults(settings.OutboundLatency, 0, 0, false, 0));
        await grains.GetGrain<ICarrierRouteGrain>(RouteId).UpsertAsync(
            new RouteDefinition(RouteId, Connection, [LeaseCycleBenchmark.Country], [], 0.01m, 1));
        await grains.GetGrain<IRouteTableGrain>(LeaseCycleBenchmark.Country).SetAsync([RouteId], []);

        // The silo's simulated binds take EsmeOptions' window: --outbound-window does not reach them.
        var window = simulator.SmppConnections[Connection].WindowSize;
        var smsc = simulator.SmscOf(Connection);
        await progress.WriteLineAsync(
            $"outbound silo: silo ready in {startup.TotalSeconds:0.0} s, bound to {Connection} (window {window}), latency {OutboundBenchmark.Ms(settings.OutboundLatency)}; " +
            $"route {RouteId} primary for {LeaseCycleBenchmark.Country}; {settings.OutboundSenders} senders → IRouteSelectorGrain.SendAsync " +
            $"for {settings.OutboundDuration.TotalSeconds:0.#} s after a {settings.Warmup.TotalSeconds:0.#} s warm-up");

        var logLinesBefore = pool.Logs.Lines.Count;
        var acceptedBefore = smsc?.SubmitCount ?? 0;
        var selector = grains.GetGrain<IRouteSelectorGrain>(0);
        var numbers = HongKongNumbers.Take(OutboundBenchmark.Destinations);
        var run = await SubmitLoop.RunAsync(
            settings.OutboundSenders,
            settings.Warmup,
            settings.OutboundDuration,
            settings.MaxOperations,
            (n, token) => SendAsync(selector, new OutboundSms(numbers[n % numbers.Length], BindSubmits.Text, $"bench:{n}"), token),
            cancellationToken);

        var siloProblems = pool.Logs.Lines.Skip(logLinesBefore).Where(LeaseCycleBenchmark.IsWarningOrWorse).ToList();
        return new OutboundLayer(
            OutboundBenchmark.SiloLayer,
            "IRouteSelectorGrain.SendAsync → silo's bind → embedded SMSC",
            window,
            $"EsmeOptions default of the embedded simulator's {Connection} connection",
            settings.OutboundSenders,
            settings.OutboundLatency.TotalMilliseconds,
            run,
            smsc?.MaxInFlightSubmits,
            smsc is null ? null : smsc.SubmitCount - acceptedBefore,
            startup.TotalSeconds,
            siloProblems.Count,
            [.. siloProblems.Take(5).Select(line => line.Length > 300 ? line[..300] + "…" : line)]);
    }

    private static async Task<SubmitAnswer> SendAsync(IRouteSelectorGrain selector, OutboundSms sms, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await selector.SendAsync(sms, cancellationToken);
            var last = sent.Attempts[^1];
            return new SubmitAnswer(true, sent.Attempts.Count == 1 ? last.Outcome.ToString() : $"{last.Outcome} on attempt {sent.Attempts.Count}");
        }
        catch (PoolException ex)
        {
            return new SubmitAnswer(false, $"refused: {ex.Code}");
        }
        catch (TimeoutException)
        {
            return new SubmitAnswer(false, "grain call timed out");
        }
    }
}
