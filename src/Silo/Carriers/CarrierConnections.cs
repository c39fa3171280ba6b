using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pool.Carriers.Simulator;
using Pool.Carriers.Smpp;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;
using Pool.Contracts.Simulator;
using Pool.Grains.Routes;
using Pool.Grains.Simulator;
using Pool.Sms.Numbers;
using Pool.Sms.Smpp;
using ContractsOutboundSms = Pool.Contracts.Routes.OutboundSms;
using InboundMessage = Pool.Contracts.Inbound.InboundMessage;
using ContractsSubmitResult = Pool.Contracts.Routes.SubmitResult;
using EsmeOutcome = Pool.Carriers.Smpp.SubmitOutcome;

namespace Pool.Silo.Carriers;

/// <summary>
/// The silo's carrier side: one SMPP bind per configured connection (and, when the simulator is on, one
/// simulated SMSC per simulated route with a bind to it). Outbound submits go out on the named bind;
/// MO messages enter the inbound pipeline with the connection as their carrier; delivery receipts go to
/// the outbound receipt grain, which updates the route's health and the verification.
/// </summary>
public sealed partial class CarrierConnections(
    IOptions<SmppConnectionsOptions> connections,
    IOptions<HttpCarriersOptions> httpCarriers,
    IOptions<SimulatorOptions> simulator,
    Configuration.PoolSettings settings,
    IGrainFactory grains,
    ILoggerFactory loggers) : IHostedService, IOutboundGateway, IEmbeddedSimulator, IAsyncDisposable
{
    /// <summary>An SMSC may deliver an MO again (a lost deliver_sm_resp); the same text from the same sender within this window is one message.</summary>
    public static readonly TimeSpan MoDuplicateWindow = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, (EsmeClient Client, SmppConnectionOptions Options)> _binds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SmscSimulator> _simulators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpCarrierClient> _httpClients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpCarrierSimulator> _httpSimulators = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _pumps = [];
    private readonly ILogger _logger = loggers.CreateLogger<CarrierConnections>();
    private int _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var binds = new Dictionary<string, SmppConnectionOptions>(connections.Value.Connections, StringComparer.Ordinal);
        if (simulator.Value.Enabled)
        {
            foreach (var (name, route) in simulator.Value.EffectiveRoutes)
            {
                // SMPP passwords are at most 8 characters: a random one per simulated SMSC and run.
                var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
                var smsc = new SmscSimulator(
                    new SmscSimulatorOptions { Port = route.Port, SystemId = "pool", Password = password, ReceiptDelay = route.ReceiptDelay },
                    loggers.CreateLogger<SmscSimulator>());
                smsc.Start();
                _simulators[name] = smsc;
                binds.TryAdd(name, new SmppConnectionOptions { Host = "127.0.0.1", Port = smsc.Port, SystemId = "pool", Password = password, SourceAddress = "Pool", ReconnectMaxBackoff = TimeSpan.FromSeconds(2) });
                LogSimulator(_logger, name, smsc.Port);
            }
        }

        var http = new Dictionary<string, HttpCarrierOptions>(httpCarriers.Value.Connections, StringComparer.Ordinal);
        if (simulator.Value.Enabled)
        {
            // Simulated HTTP carriers are served by this process's own web server.
            var pool = new Uri($"{(settings.Api.Tls.Certificate is null ? "http" : "https")}://127.0.0.1:{settings.Api.HttpPort}/");
            foreach (var (name, route) in simulator.Value.EffectiveHttpRoutes)
            {
                var secret = simulator.Value.HttpSecrets[name];
                _httpSimulators[name] = new HttpCarrierSimulator(name, secret, pool, route.ReceiptDelay, _logger);
                http.TryAdd(name, new HttpCarrierOptions { Url = new Uri(pool, $"simulator/{Uri.EscapeDataString(name)}/sms").ToString(), Secret = secret });
                LogSimulator(_logger, name, settings.Api.HttpPort);
            }
        }

        foreach (var (name, options) in http)
        {
            var problems = options.Validate(name).ToList();
            if (problems.Count > 0)
            {
                throw new OptionsValidationException(HttpCarrierOptions.Section, typeof(HttpCarrierOptions), problems);
            }

            _httpClients[name] = new HttpCarrierClient(name, options);
        }

        foreach (var (name, options) in binds)
        {
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                throw new OptionsValidationException(
                    SmppConnectionsOptions.Section, typeof(SmppConnectionOptions), [.. problems.Select(p => $"{SmppConnectionsOptions.Section}:Connections:{name}: {p}")]);
            }

            var connection = name;
            var client = new EsmeClient(options, loggers.CreateLogger<EsmeClient>())
            {
                // Every MO (or part) is stored by the cluster before the SMSC gets its deliver_sm_resp.
                DurableMoHandler = (part, _) => HandOverAsync(connection, part),
            };
            client.Start();
            _binds[name] = (client, options);
            _pumps.Add(Task.Run(() => PumpReceiptsAsync(name, client, _stopping.Token), CancellationToken.None));
        }

        await Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        foreach (var (client, _) in _binds.Values)
        {
            await client.StopAsync(cancellationToken);
        }

        await Task.WhenAll(_pumps).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this instance once per registration that hands it out: once is enough.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var (client, _) in _binds.Values)
        {
            await client.DisposeAsync();
        }

        foreach (var smsc in _simulators.Values)
        {
            await smsc.DisposeAsync();
        }

        foreach (var disposable in _httpClients.Values.Cast<IDisposable>().Concat(_httpSimulators.Values))
        {
            disposable.Dispose();
        }

        _stopping.Dispose();
    }

    public async Task<ContractsSubmitResult> SubmitAsync(string connection, ContractsOutboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        if (_httpClients.TryGetValue(connection, out var httpClient))
        {
            return await httpClient.SubmitAsync(sms, cancellationToken);
        }

        if (!_binds.TryGetValue(connection, out var bind))
        {
            return ContractsSubmitResult.Failed(TimeSpan.Zero, $"no carrier connection '{connection}' is configured on this silo");
        }

        var started = Stopwatch.GetTimestamp();
        var result = await bind.Client.SubmitAsync(new Pool.Carriers.Smpp.OutboundSms(sms.To.TrimStart('+'), bind.Options.SourceAddress, sms.Text), cancellationToken);
        var latency = Stopwatch.GetElapsedTime(started);
        return result.Outcome switch
        {
            EsmeOutcome.Accepted => ContractsSubmitResult.Accepted(latency, [.. result.MessageIds]),
            EsmeOutcome.Throttled => ContractsSubmitResult.Throttled(latency, $"{connection}: {result.StatusName}"),
            EsmeOutcome.TimedOut => ContractsSubmitResult.TimedOut(latency),
            EsmeOutcome.Rejected => ContractsSubmitResult.Failed(latency, $"{connection} refused the message: {result.StatusName}"),
            _ => ContractsSubmitResult.Failed(latency, $"{connection} is not bound ({result.Outcome}{(result.Detail is { } detail ? ": " + detail : "")})"),
        };
    }

    /// <summary>What a simulated route's SMSC received: the handsets' side of the simulation, for demos and tests.</summary>
    public IReadOnlyList<SimulatedSubmit> SubmissionsOf(string route) =>
        _httpSimulators.TryGetValue(route, out var http) ? http.Submissions : _simulators[route].Submissions;

    public IReadOnlyList<SimulatedRoute> Routes =>
        [.. _simulators.Select(s => Describe(s.Key, s.Value)), .. _httpSimulators.Values.Select(Describe)];

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
        if (_httpSimulators.TryGetValue(route, out var http))
        {
            http.SetFaults(injected);
            return Describe(http);
        }

        var smsc = _simulators[route];
        smsc.SetFaults(injected);
        return Describe(route, smsc);
    }

    public Task<int> SendMoAsync(string route, string sender, string recipient, string text, bool sar, CancellationToken cancellationToken) =>
        _httpSimulators.TryGetValue(route, out var http)
            ? http.SendMoAsync(sender, recipient, text, cancellationToken)
            : _simulators[route].SendMoAsync(sender.TrimStart('+'), recipient.TrimStart('+'), text, sar ? MoConcatenation.Sar : MoConcatenation.Udh, cancellationToken);

    /// <summary>POST /simulator/{route}/sms: a submit to a simulated HTTP carrier.</summary>
    public Task<Microsoft.AspNetCore.Http.IResult> SubmitToSimulatorAsync(string route, Microsoft.AspNetCore.Http.HttpRequest request, CancellationToken cancellationToken) =>
        _httpSimulators.TryGetValue(route, out var http)
            ? http.SubmitAsync(request, cancellationToken)
            : Task.FromResult(Microsoft.AspNetCore.Http.Results.NotFound());

    /// <summary>
    /// The carrier message id of an MO (or of one part): SMPP gives none, so it is made from the sender,
    /// recipient, text and part numbering and the <see cref="MoDuplicateWindow"/> it arrived in; a
    /// redelivery within the window is a duplicate.
    /// </summary>
    public static string MoMessageId(MoPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var window = part.ReceivedAt.ToUnixTimeSeconds() / (long)MoDuplicateWindow.TotalSeconds;
        var numbering = part.Concatenation is { } c ? $"{c.Reference}/{c.Total}/{c.Sequence}" : "";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{part.Sender}\n{part.Recipient}\n{part.Text}\n{numbering}\n{window}"));
        return $"mo-{Convert.ToHexStringLower(hash.AsSpan(0, 16))}";
    }

    /// <summary>Stores an MO in the cluster: a part through its concatenation grain, a whole message through the inbound pipeline.</summary>
    private async Task HandOverAsync(string connection, MoPart part)
    {
        var recipient = part.Recipient.StartsWith('+') ? part.Recipient : "+" + part.Recipient;
        if (!E164.TryParse(recipient, out var number, out _))
        {
            LogMoRefused(_logger, connection);
            return; // Acknowledged and dropped: a retry would not make the recipient one of Pool's numbers.
        }

        var message = new InboundMessage(connection, MoMessageId(part), part.Sender, number, part.Text, part.ReceivedAt);
        if (part.Concatenation is { } c)
        {
            var inboundPart = new InboundPart(message, c.Reference, c.Total, c.Sequence);
            await grains.GetGrain<IConcatenationGrain>(ConcatenationKeys.Of(inboundPart)).AddPartAsync(inboundPart);
        }
        else
        {
            await grains.GetGrain<IInboundGrain>(0).AcceptAsync(message);
        }
    }

    private SimulatedRoute Describe(HttpCarrierSimulator http)
    {
        var f = http.Faults;
        return new SimulatedRoute(
            http.Name, settings.Api.HttpPort, new SimulatedFaults(f.Latency, f.SubmitErrorRate, f.ThrottleRate, f.Outage, f.DlrFailureRate),
            0, http.Submitted, http.ThrottledAnswers, 0);
    }

    private static SimulatedRoute Describe(string name, SmscSimulator smsc)
    {
        var f = smsc.Faults;
        return new SimulatedRoute(
            name, smsc.Port, new SimulatedFaults(f.Latency, f.SubmitErrorRate, f.ThrottleRate, f.Outage, f.DlrFailureRate),
            smsc.BoundSessions, smsc.SubmitCount, smsc.ThrottledAnswers, smsc.RefusedBinds);
    }

    private async Task PumpReceiptsAsync(string connection, EsmeClient client, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notice in client.Receipts.ReadAllAsync(cancellationToken))
            {
                var receipt = new StatusReport(
                    connection, notice.SubmittedMessageId ?? notice.ReceiptedMessageId, StatusReportKind.DeliveryReceipt, DeliveryReceipts.TextFromState(notice.State),
                    Final: true, notice.State == MessageState.Delivered,
                    notice.State == MessageState.Delivered ? null : $"{notice.State}{(notice.ErrorCode is { } code ? $" (err {code})" : "")}", DateTimeOffset.UtcNow);
                await WithRetriesAsync(() => grains.GetGrain<IOutboundReceiptGrain>(0).RecordAsync(receipt), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The cluster may still be starting, or a grain briefly unavailable: retry for a while, then log and drop.</summary>
    private async Task WithRetriesAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (attempt >= 10)
                {
                    LogHandOffFailed(_logger, ex);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Carrier simulator route {Route} listening on 127.0.0.1:{Port}")]
    private static partial void LogSimulator(ILogger logger, string route, int port);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Simulator route {Route} faults set to {Faults}")]
    private static partial void LogFaults(ILogger logger, string route, SimulatedFaults faults);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "MO on connection {Connection} dropped: its recipient is not an E.164 number")]
    private static partial void LogMoRefused(ILogger logger, string connection);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Error, Message = "A delivery receipt could not be handed to the cluster; dropped")]
    private static partial void LogHandOffFailed(ILogger logger, Exception exception);
}
