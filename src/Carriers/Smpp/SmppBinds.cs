using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pool.Carriers.Simulator;

namespace Pool.Carriers.Smpp;

/// <summary>One bound (or binding) SMPP connection: its name, settings and ESME.</summary>
public sealed record SmppBind(string Name, SmppConnectionOptions Options, EsmeClient Client);

/// <summary>
/// The silo's SMPP binds: one ESME per connection of Pool:Smpp:Connections (and one per simulated
/// SMSC when the embedded simulator runs). Each bind hands what its SMSC delivers to
/// <see cref="CarrierIntake"/>, which stores it in the cluster before the SMSC is answered. A
/// misconfigured connection stops the silo from starting, naming the setting.
/// </summary>
public sealed class SmppBinds(
    IOptions<SmppConnectionsOptions> connections,
    CarrierIntake intake,
    ILoggerFactory loggers,
    EmbeddedSimulator? simulator = null) : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, SmppBind> _binds = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>The bind named <paramref name="connection"/>, if this silo has it.</summary>
    public bool TryGet(string connection, out SmppBind bind) => _binds.TryGetValue(connection, out bind!);

    /// <summary>Every bind of this silo (empty before the silo started).</summary>
    public IReadOnlyCollection<SmppBind> All => _binds.Values;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = new Dictionary<string, SmppConnectionOptions>(connections.Value.Connections, StringComparer.Ordinal);
        foreach (var (name, options) in simulator?.SmppConnections ?? new Dictionary<string, SmppConnectionOptions>())
        {
            configured.TryAdd(name, options);
        }

        foreach (var (name, options) in configured)
        {
            var problems = options.ValidateConnection();
            if (problems.Count > 0)
            {
                throw new OptionsValidationException(
                    SmppConnectionsOptions.Section, typeof(SmppConnectionOptions), [.. problems.Select(p => $"{SmppConnectionsOptions.Section}:Connections:{name}: {p}")]);
            }
        }

        foreach (var (name, options) in configured)
        {
            var client = new EsmeClient(options, loggers.CreateLogger<EsmeClient>());
            var bind = new SmppBind(name, options, client);
            client.DeliveryHandler = (delivery, token) => intake.TakeAsync(bind, delivery, token);
            client.SubmitAnswered = result => SmppMetrics.Submitted(name, result);
            _binds[name] = bind;
            client.Start();
        }

        SmppMetrics.Track(this);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var bind in _binds.Values)
        {
            await bind.Client.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        SmppMetrics.Forget(this);

        foreach (var bind in _binds.Values)
        {
            await bind.Client.DisposeAsync();
        }
    }
}
