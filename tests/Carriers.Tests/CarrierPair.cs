using Pool.Carriers.Simulator;
using Pool.Carriers.Smpp;

namespace Pool.Carriers.Tests;

/// <summary>A simulator on an ephemeral port and a client bound to it, with short timings for tests.</summary>
internal sealed class CarrierPair : IAsyncDisposable
{
    private CarrierPair(SmscSimulator simulator, EsmeClient client, EsmeOptions options)
    {
        Simulator = simulator;
        Client = client;
        Options = options;
    }

    public SmscSimulator Simulator { get; }

    public EsmeClient Client { get; }

    public EsmeOptions Options { get; }

    public static async Task<CarrierPair> StartAsync(Action<SmscSimulatorOptions>? simulator = null, Action<EsmeOptions>? client = null, bool waitForBind = true)
    {
        var simulatorOptions = new SmscSimulatorOptions { Seed = 1234, ReceiptDelay = TimeSpan.FromMilliseconds(50) };
        simulator?.Invoke(simulatorOptions);
        var smsc = new SmscSimulator(simulatorOptions);
        smsc.Start();

        var options = ClientOptions(smsc.Port, simulatorOptions);
        client?.Invoke(options);
        var esme = new EsmeClient(options);
        esme.Start();
        if (waitForBind)
        {
            await Bounded.WaitAsync(esme.WaitUntilBoundAsync(), "the client to bind to the simulator");
        }

        return new CarrierPair(smsc, esme, options);
    }

    public static EsmeOptions ClientOptions(int port, SmscSimulatorOptions? simulator = null) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        SystemId = simulator?.SystemId ?? "pool",
        Password = simulator?.Password ?? "secret",
        WindowSize = 5,
        EnquireLinkInterval = TimeSpan.FromSeconds(30),
        ResponseTimeout = TimeSpan.FromSeconds(5),
        ReconnectMinBackoff = TimeSpan.FromMilliseconds(50),
        ReconnectMaxBackoff = TimeSpan.FromMilliseconds(400),
        ThrottleBackoff = TimeSpan.FromMilliseconds(20),
    };

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
