using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pool.Carriers.Http;
using Pool.Carriers.Smpp;
using Pool.Contracts.Simulator;
using Pool.Sms.Numbers;

namespace Pool.Carriers.Simulator;

/// <summary>
/// The embedded carrier simulator of a silo (Pool:Simulator:Enabled): one simulated SMSC on loopback per
/// simulated SMPP route and one simulated HTTP carrier per HTTP route, served by the silo's own web
/// server. It starts before the carrier connections (it is registered first), which then bind to its
/// SMSCs and post to its HTTP carriers under the routes' names (<see cref="SmppConnections"/>,
/// <see cref="HttpConnections"/>).
/// </summary>
public sealed partial class EmbeddedSimulator(IOptions<SimulatorOptions> options, ILoggerFactory loggers) : IEmbeddedSimulator, IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, SmscSimulator> _smscs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpCarrierSimulator> _http = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SmppConnectionOptions> _smppConnections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpCarrierOptions> _httpConnections = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<EmbeddedSimulator>();
    private int _disposed;

    /// <summary>The SMPP connection to each simulated SMSC, by route name (filled at start).</summary>
    public IReadOnlyDictionary<string, SmppConnectionOptions> SmppConnections => _smppConnections;

    /// <summary>The HTTP carrier connection to each simulated HTTP carrier, by route name (filled at start).</summary>
    public IReadOnlyDictionary<string, HttpCarrierOptions> HttpConnections => _httpConnections;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var (name, route) in settings.EffectiveRoutes)
        {
            // SMPP passwords are at most 8 characters: a random one per simulated SMSC and run.
            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var smsc = new SmscSimulator(
                new SmscSimulatorOptions { Port = route.Port, SystemId = "pool", Password = password, ReceiptDelay = route.ReceiptDelay },
                loggers.CreateLogger<SmscSimulator>());
            smsc.Start();
            _smscs[name] = smsc;
            _smppConnections[name] = new SmppConnectionOptions
            {
                Host = "127.0.0.1",
                Port = smsc.Port,
                SystemId = "pool",
                Password = password,
                SourceAddress = "Pool",
                ReconnectMaxBackoff = TimeSpan.FromSeconds(2),
            };
            LogListening(_logger, name, smsc.Port);
        }

        if (settings.PoolBaseAddress is { } pool)
        {
            foreach (var (name, route) in settings.EffectiveHttpRoutes)
            {
                var secret = settings.HttpSecrets[name];
                _http[name] = new HttpCarrierSimulator(name, secret, pool, route.ReceiptDelay, _logger);
                _httpConnections[name] = new HttpCarrierOptions { Url = new Uri(pool, $"simulator/{Uri.EscapeDataString(name)}/sms").ToString(), Secret = secret };
                LogListening(_logger, name, pool.Port);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IReadOnlyList<SimulatedRoute> Routes =>
        [.. _smscs.Select(s => Describe(s.Key, s.Value)), .. _http.Values.Select(Describe)];

    public SimulatedRoute SetFaults(string route, SimulatedFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var injected = new SimulatorFaults
        {
            Latency = faults.Latency,
            SubmitErrorRate = faults.SubmitErrorRate,
            ThrottleRate = faults.ThrottleRate,
            Outage = faults.Outage,
            DlrFailureRate = faults.DlrFailureRate,
        };
        LogFaults(_logger, route, faults);
        if (_http.TryGetValue(route, out var http))
        {
            http.SetFaults(injected);
            return Describe(http);
        }

        var smsc = _smscs[route];
        smsc.SetFaults(injected);
        return Describe(route, smsc);
    }

    /// <summary>The simulated SMSC of an SMPP route (its counters, e.g. the most submit_sm outstanding at once), or null for an HTTP or unknown route.</summary>
    public SmscSimulator? SmscOf(string route) => _smscs.GetValueOrDefault(route);

    /// <summary>What a simulated route accepted, oldest first, as it arrived (destinations in full: for tests and demos in this process).</summary>
    public IReadOnlyList<SimulatedSubmit> SubmissionsOf(string route) =>
        _http.TryGetValue(route, out var http) ? http.Submissions : _smscs[route].Submissions;

    public IReadOnlyList<SimulatedSms> Sent(string route, int limit)
    {
        var submissions = SubmissionsOf(route);
        return [.. submissions.Reverse().Take(limit).Select(s => new SimulatedSms(s.MessageId, s.From, E164.Mask(s.To.StartsWith('+') ? s.To : "+" + s.To), s.Text, s.At))];
    }

    public Task<int> SendMoAsync(string route, string sender, string recipient, string text, bool sar, CancellationToken cancellationToken) =>
        _http.TryGetValue(route, out var http)
            ? http.SendMoAsync(sender, recipient, text, cancellationToken)
            : _smscs[route].SendMoAsync(sender, recipient, text, sar ? MoConcatenation.Sar : MoConcatenation.Udh, cancellationToken);

    /// <summary>POST /simulator/{route}/sms: a submit to a simulated HTTP carrier.</summary>
    public Task<IResult> SubmitToHttpCarrierAsync(string route, HttpRequest request, CancellationToken cancellationToken) =>
        _http.TryGetValue(route, out var http)
            ? http.SubmitAsync(request, cancellationToken)
            : Task.FromResult(Results.NotFound());

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var smsc in _smscs.Values)
        {
            await smsc.DisposeAsync();
        }

        foreach (var http in _http.Values)
        {
            http.Dispose();
        }
    }

    private SimulatedRoute Describe(HttpCarrierSimulator http)
    {
        var f = http.Faults;
        return new SimulatedRoute(
            http.Name, options.Value.PoolBaseAddress?.Port ?? 0, new SimulatedFaults(f.Latency, f.SubmitErrorRate, f.ThrottleRate, f.Outage, f.DlrFailureRate),
            0, http.Submitted, http.ThrottledAnswers, 0);
    }

    private static SimulatedRoute Describe(string name, SmscSimulator smsc)
    {
        var f = smsc.Faults;
        return new SimulatedRoute(
            name, smsc.Port, new SimulatedFaults(f.Latency, f.SubmitErrorRate, f.ThrottleRate, f.Outage, f.DlrFailureRate),
            smsc.BoundSessions, smsc.SubmitCount, smsc.ThrottledAnswers, smsc.RefusedBinds);
    }

    [LoggerMessage(EventId = 7261, Level = LogLevel.Information, Message = "Carrier simulator route {Route} listening on 127.0.0.1:{Port}")]
    private static partial void LogListening(ILogger logger, string route, int port);

    [LoggerMessage(EventId = 7262, Level = LogLevel.Warning, Message = "Simulator route {Route} faults set to {Faults}")]
    private static partial void LogFaults(ILogger logger, string route, SimulatedFaults faults);
}
