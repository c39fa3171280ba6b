using Pool.Carriers.Simulator;
using Pool.Carriers.Smpp;
using Pool.Contracts.Routes;

namespace Pool.Bench.Outbound;

/// <summary>
/// The bind alone: a simulated SMSC on loopback answering every submit_sm after the set latency, one
/// ESME bound to it as a transmitter-receiver with the set window, and the senders calling
/// <see cref="EsmeClient.SubmitAsync"/> directly. No silo, no database: the ceiling of one bind.
/// </summary>
internal static class BindSubmits
{
    public const string SourceAddress = "Pool";
    public const string Text = "Your code is 123456";

    private const string SystemId = "pool-bench";
    private static readonly TimeSpan s_bindWithin = TimeSpan.FromSeconds(30);

    public static async Task<SmppSubmitLayer> RunAsync(BenchSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        await using var smsc = new SmscSimulator(new SmscSimulatorOptions { SystemId = SystemId, Password = password });
        smsc.Start();
        smsc.SetFaults(new SimulatorFaults { Latency = settings.SmppLatency });
        var options = new EsmeOptions
        {
            Host = "127.0.0.1",
            Port = smsc.Port,
            SystemId = SystemId,
            Password = password,
            WindowSize = settings.SmppWindow,
            ResponseTimeout = TimeSpan.FromSeconds(10) + settings.SmppLatency,
            // Submits only: no delivery receipts come back on the bind (the silo layer has them).
            RequestDeliveryReceipts = false,
        };
        await using var client = new EsmeClient(options);
        client.Start();
        using (var binding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            binding.CancelAfter(s_bindWithin);
            await client.WaitUntilBoundAsync(binding.Token);
        }

        await progress.WriteLineAsync(
            $"smpp-submit bind: bound to the simulated SMSC on 127.0.0.1:{smsc.Port}, window {options.WindowSize}, latency {SmppSubmitBenchmark.Ms(settings.SmppLatency)}; " +
            $"{settings.SmppSenders} senders for {settings.SmppDuration.TotalSeconds:0.#} s after a {settings.Warmup.TotalSeconds:0.#} s warm-up");

        var numbers = HongKongNumbers.Take(SmppSubmitBenchmark.Destinations);
        var run = await SubmitLoop.RunAsync(
            settings.SmppSenders,
            settings.Warmup,
            settings.SmppDuration,
            settings.MaxOperations,
            async (n, token) =>
            {
                var result = await client.SubmitAsync(new OutboundSms(numbers[n % numbers.Length], Text, "bench"), SourceAddress, token);
                return new SubmitAnswer(
                    result.Succeeded,
                    result.Outcome == SmppSubmitOutcome.Rejected ? $"{result.Outcome} {result.StatusName}" : result.Outcome.ToString());
            },
            cancellationToken);
        await client.StopAsync(cancellationToken);

        return new SmppSubmitLayer(
            SmppSubmitBenchmark.BindLayer,
            "EsmeClient.SubmitAsync → SmscSimulator",
            options.WindowSize,
            "--smpp-window",
            settings.SmppSenders,
            settings.SmppLatency.TotalMilliseconds,
            run,
            smsc.MaxInFlightSubmits,
            smsc.SubmitCount,
            null,
            0,
            []);
    }
}
