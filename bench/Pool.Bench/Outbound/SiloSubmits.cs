using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
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
    public static async Task<SmppSubmitLayer> RunAsync(BenchSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        await using var database = await TestDatabase.CreateAsync();
        var starting = Stopwatch.GetTimestamp();
        await using var pool = await PoolProcess.StartAsync(database, database.Name, settings: new Dictionary<string, string?>([BenchRoute.Settings]));
        var startup = Stopwatch.GetElapsedTime(starting);
        var simulator = await BenchRoute.MakeHongKongPrimaryAsync(pool, settings.SmppLatency);
        var grains = pool.Services.GetRequiredService<Orleans.IGrainFactory>();

        // The silo's simulated binds take EsmeOptions' window: --smpp-window does not reach them.
        var window = simulator.SmppConnections[BenchRoute.Connection].WindowSize;
        var smsc = simulator.SmscOf(BenchRoute.Connection);
        await progress.WriteLineAsync(
            $"smpp-submit silo: silo ready in {startup.TotalSeconds:0.0} s, bound to {BenchRoute.Connection} (window {window}), latency {SmppSubmitBenchmark.Ms(settings.SmppLatency)}; " +
            $"route {BenchRoute.RouteId} primary for {LeaseCycleBenchmark.Country}; {settings.SmppSenders} senders → IRouteSelectorGrain.SendAsync " +
            $"for {settings.SmppDuration.TotalSeconds:0.#} s after a {settings.Warmup.TotalSeconds:0.#} s warm-up");

        var logLinesBefore = pool.Logs.Lines.Count;
        var acceptedBefore = smsc?.SubmitCount ?? 0;
        var selector = grains.GetGrain<IRouteSelectorGrain>(0);
        var numbers = HongKongNumbers.Take(SmppSubmitBenchmark.Destinations);
        var run = await SubmitLoop.RunAsync(
            settings.SmppSenders,
            settings.Warmup,
            settings.SmppDuration,
            settings.MaxOperations,
            (n, token) => SendAsync(selector, new OutboundSms(numbers[n % numbers.Length], BindSubmits.Text, $"bench:{n}"), token),
            cancellationToken);

        var siloProblems = pool.Logs.Lines.Skip(logLinesBefore).Where(LeaseCycleBenchmark.IsWarningOrWorse).ToList();
        return new SmppSubmitLayer(
            SmppSubmitBenchmark.SiloLayer,
            "IRouteSelectorGrain.SendAsync → silo's bind → embedded SMSC",
            window,
            $"EsmeOptions default of the embedded simulator's {BenchRoute.Connection} connection",
            settings.SmppSenders,
            settings.SmppLatency.TotalMilliseconds,
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
