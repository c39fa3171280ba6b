using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Pool.Carriers.Simulator;
using Pool.Carriers.Smpp;
using Pool.Contracts.Routes;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Tests;

public sealed class LogPrivacyTests
{
    [Fact]
    public async Task Client_and_simulator_logs_show_phone_numbers_only_masked()
    {
        var clientLog = new CapturingLogger<EsmeClient>();
        var simulatorLog = new CapturingLogger<SmscSimulator>();
        await using var simulator = new SmscSimulator(new SmscSimulatorOptions { Seed = 1, ReceiptDelay = TimeSpan.Zero }, simulatorLog);
        simulator.Start();
        await using var client = new EsmeClient(CarrierPair.ClientOptions(simulator.Port), clientLog);
        client.Start();
        await Bounded.WaitAsync(client.WaitUntilBoundAsync(), "the client to bind");

        await client.SubmitAsync(new OutboundSms("+85251234567", "accepted", "test"), "+447911123456");
        simulator.SetFaults(new SimulatorFaults { SubmitErrorRate = 1 });
        var refused = await client.SubmitAsync(new OutboundSms("+85251234567", "refused", "test"), "+447911123456");

        Assert.Equal(SmppStatus.SystemError, refused.CommandStatus);
        var lines = clientLog.Lines.Concat(simulatorLog.Lines).ToList();
        Assert.Contains(lines, l => l.Contains("+852****4567", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("51234567", StringComparison.Ordinal) || l.Contains("7911123456", StringComparison.Ordinal));
    }

    private sealed class CapturingLogger<T> : ILogger<T>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
