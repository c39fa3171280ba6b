using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pool.Carriers.Simulator;

namespace Pool.Carriers.Http;

/// <summary>
/// The silo's HTTP carriers for outbound SMS: one client per connection of Pool:Http:Connections (and one
/// per simulated HTTP carrier when the embedded simulator runs), created at start, after the simulator
/// (registered before it) has started. A misconfigured connection stops the start with
/// <see cref="OptionsValidationException"/> naming the setting.
/// </summary>
public sealed class HttpCarriers(IOptions<HttpCarriersOptions> connections, EmbeddedSimulator? simulator = null) : IHostedService, IDisposable
{
    private volatile Dictionary<string, HttpCarrierClient> _clients = new(StringComparer.Ordinal);

    /// <summary>The HTTP carrier named <paramref name="connection"/>, if this silo has it.</summary>
    public bool TryGet(string connection, out HttpCarrierClient client) => _clients.TryGetValue(connection, out client!);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _clients = Create(connections.Value, simulator);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private static Dictionary<string, HttpCarrierClient> Create(HttpCarriersOptions configured, EmbeddedSimulator? simulator)
    {
        var all = new Dictionary<string, HttpCarrierOptions>(configured.Connections, StringComparer.Ordinal);
        foreach (var (name, options) in simulator?.HttpConnections ?? new Dictionary<string, HttpCarrierOptions>())
        {
            all.TryAdd(name, options);
        }

        var clients = new Dictionary<string, HttpCarrierClient>(StringComparer.Ordinal);
        foreach (var (name, options) in all)
        {
            var problems = options.Validate(name).ToList();
            if (problems.Count > 0)
            {
                throw new OptionsValidationException(HttpCarrierOptions.Section, typeof(HttpCarrierOptions), problems);
            }

            clients[name] = new HttpCarrierClient(name, options);
        }

        return clients;
    }
}
