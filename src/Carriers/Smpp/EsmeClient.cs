using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pool.Contracts.Routes;
using Pool.Sms.Encoding;
using Pool.Sms.Numbers;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Smpp;

/// <summary>
/// An SMPP 3.4 ESME bound as a transceiver to one SMSC. <see cref="Start"/> connects and keeps the
/// session up: enquire_link probes it, a session that drops or stops answering is replaced, and
/// connection attempts back off exponentially with jitter. <see cref="SubmitAsync"/> splits long text
/// and sends the parts within a window of outstanding requests, retrying parts the SMSC throttles.
/// Every deliver_sm (an MO message or part, or a status report) is handed to <see cref="DeliveryHandler"/>
/// and answered only when the handler completed: ESME_ROK means the owner stored it, a handler failure
/// answers ESME_RX_T_APPN so the SMSC delivers it again, and a deliver_sm whose body cannot be read is
/// refused with ESME_RX_P_APPN (counted and logged once). Stopping unbinds gracefully.
/// </summary>
public sealed class EsmeClient : IAsyncDisposable
{
    private const int RememberedSubmits = 100_000;

    private readonly EsmeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _endpoint;
    private readonly SemaphoreSlim _window;
    private readonly SubmittedIds _submitted = new(RememberedSubmits);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _stateLock = new();
    private TaskCompletionSource _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile SmppConnection? _connection;
    private volatile bool _stopRequested;
    private EsmeState _state = EsmeState.Disconnected;
    private Task? _run;
    private int _reference = Random.Shared.Next(256);
    private long _throttledUntilTicks;
    private int _binds;
    private long _throttles;
    private int _disposed;

    /// <exception cref="ArgumentException">The options are invalid; the message names each bad setting.</exception>
    public EsmeClient(EsmeOptions options, ILogger<EsmeClient>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _endpoint = $"{options.Host}:{options.Port}";
        _window = new SemaphoreSlim(options.WindowSize, options.WindowSize);
    }

    public EsmeState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <summary>How many times a session has been bound since <see cref="Start"/>.</summary>
    public int BindCount => Volatile.Read(ref _binds);

    /// <summary>
    /// Set before <c>Start</c>: takes every deliver_sm and data_sm the SMSC sends (MO messages, parts of
    /// concatenated ones, status reports) and completes once it has stored what it was given; only then
    /// is the SMSC answered ESME_ROK. A handler that throws makes the answer ESME_RX_T_APPN, so the SMSC
    /// delivers it again. Without a handler every delivery is answered ESME_RX_T_APPN: nothing is
    /// acknowledged that nobody kept. Handlers run concurrently (one per PDU in flight).
    /// </summary>
    public Func<SmscDelivery, CancellationToken, Task>? DeliveryHandler { get; set; }

    /// <summary>
    /// Told how the SMSC answered each submit_sm: the command_status name ("ESME_ROK",
    /// "ESME_RTHROTTLED", …), or "timeout", "connection_lost", "not_connected" when it did not answer.
    /// </summary>
    public Action<string>? SubmitAnswered { get; set; }

    /// <summary>The most submit_sm in flight at once (the window).</summary>
    public int WindowSize => _options.WindowSize;

    /// <summary>submit_sm sent and not yet answered, 0 to <see cref="WindowSize"/>.</summary>
    public int WindowInUse => _options.WindowSize - _window.CurrentCount;

    /// <summary>ESME_RTHROTTLED answers received since the client started.</summary>
    public long Throttles => Interlocked.Read(ref _throttles);

    /// <summary>
    /// The id submit_sm_resp gave for a message this client submitted recently, whatever form
    /// (<paramref name="receiptedId"/>) a status report writes it in (hex, decimal, padded; see
    /// <see cref="MessageIds"/>); null when this client does not remember it.
    /// </summary>
    public string? FindSubmitted(string receiptedId) => _submitted.Find(receiptedId);

    /// <summary>Starts connecting in the background; returns at once. Calling it again does nothing.</summary>
    public void Start()
    {
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_stopRequested, this);
            _run ??= Task.Run(RunAsync);
        }
    }

    /// <summary>Completes when a session is bound (at once if one is).</summary>
    public Task WaitUntilBoundAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            return _bound.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Sends <paramref name="sms"/> from <paramref name="sourceAddress"/> (a number or an alphanumeric
    /// sender id), split into parts when long. An E.164 destination ("+85251234567") goes with TON 1 /
    /// NPI 1. Fails fast with <see cref="SmppSubmitOutcome.NotConnected"/> when no session is bound, so a
    /// router can move on.
    /// </summary>
    public async Task<SmppSubmitResult> SubmitAsync(OutboundSms sms, string sourceAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var split = MessageSplitter.Split(sms.Text, (byte)Interlocked.Increment(ref _reference));
        var source = SmppAddress.ForSubmit(sourceAddress);
        var destination = SmppAddress.ForSubmit(sms.To);
        var latency = TimeSpan.Zero;
        var ids = new List<string>(split.Parts.Count);
        foreach (var part in split.Parts)
        {
            var pdu = new SubmitSm
            {
                SourceAddrTon = source.Ton,
                SourceAddrNpi = source.Npi,
                SourceAddr = source.Address,
                DestAddrTon = destination.Ton,
                DestAddrNpi = destination.Npi,
                DestinationAddr = destination.Address,
                EsmClass = part.HasUdh ? EsmClass.UdhIndicator : (byte)0,
                RegisteredDelivery = _options.RequestDeliveryReceipts ? (byte)1 : (byte)0,
                DataCoding = split.DataCoding,
                ShortMessage = part.ShortMessage,
            };
            var (outcome, status, messageId, detail, answeredIn) = await SubmitPartAsync(pdu, sms.To, part, cancellationToken).ConfigureAwait(false);
            latency += answeredIn;
            if (outcome != SmppSubmitOutcome.Accepted)
            {
                EsmeLog.SubmitFailed(_logger, new MaskedNumber(sms.To), part.Sequence, part.Total, outcome, new StatusName(status));
                return new SmppSubmitResult(outcome, ids, split.Parts.Count, status, detail, latency);
            }

            ids.Add(messageId);
        }

        return new SmppSubmitResult(SmppSubmitOutcome.Accepted, ids, split.Parts.Count, SmppStatus.Ok, null, latency);
    }

    /// <summary>Unbinds (waiting up to the response timeout for unbind_resp), closes the session and stops reconnecting.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _disposed) != 0 ? Task.CompletedTask : StopCoreAsync(cancellationToken);

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        Task? run;
        lock (_stateLock)
        {
            _stopRequested = true;
            run = _run;
        }

        if (_connection is { } connection)
        {
            try
            {
                await connection.RequestAsync(new Unbind(), _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
                EsmeLog.Unbound(_logger, _endpoint);
            }
            catch (Exception e) when (e is TimeoutException or SmppConnectionClosedException or OperationCanceledException)
            {
                // The SMSC is gone or slow: close without its answer.
            }

            connection.Close();
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (run is not null)
        {
            await run.ConfigureAwait(false);
        }

        SetState(EsmeState.Stopped);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopCoreAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _window.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        var attempt = 0;
        while (!_stopRequested)
        {
            SetState(EsmeState.Connecting);
            string? failure = null;
            try
            {
                var connection = await ConnectAndBindAsync(token).ConfigureAwait(false);
                if (connection is not null)
                {
                    attempt = 0;
                    await RunSessionAsync(connection, token).ConfigureAwait(false);
                    if (_stopRequested)
                    {
                        break;
                    }

                    EsmeLog.SessionLost(_logger, _endpoint);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmppDecodeException)
            {
                failure = e.Message;
            }

            SetState(EsmeState.Disconnected);
            var delay = Backoff.Delay(attempt++, _options.ReconnectMinBackoff, _options.ReconnectMaxBackoff, Random.Shared);
            if (failure is not null)
            {
                EsmeLog.ConnectFailed(_logger, _endpoint, failure, delay);
            }

            try
            {
                await Task.Delay(delay, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<SmppConnection?> ConnectAndBindAsync(CancellationToken token)
    {
        var client = new TcpClient();
        try
        {
            using var connectTimeout = new CancellationTokenSource(_options.ResponseTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, connectTimeout.Token);
            await client.ConnectAsync(_options.Host, _options.Port, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            client.Dispose();
            throw new TimeoutException($"no TCP connection within {_options.ResponseTimeout}");
        }
        catch
        {
            client.Dispose();
            throw;
        }

        var connection = new SmppConnection(client, HandleRequestAsync, _logger, _time, _options.MaxCommandLength, RememberSubmitted);
        connection.Start();
        Pdu response;
        try
        {
            var bind = new Bind
            {
                Mode = BindMode.Transceiver,
                SystemId = _options.SystemId,
                Password = _options.Password,
                SystemType = _options.SystemType,
            };
            response = await connection.RequestAsync(bind, _options.ResponseTimeout, token).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (response is BindResp { CommandStatus: SmppStatus.Ok } accepted)
        {
            EsmeLog.Bound(_logger, _endpoint, _options.SystemId, accepted.SystemId);
            return connection;
        }

        EsmeLog.BindRefused(_logger, _endpoint, _options.SystemId, new StatusName(response.CommandStatus));
        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private async Task RunSessionAsync(SmppConnection connection, CancellationToken token)
    {
        _connection = connection;
        Interlocked.Increment(ref _binds);
        SetState(EsmeState.Bound);
        using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(token);
        var keepAlive = KeepAliveAsync(connection, sessionEnd.Token);
        try
        {
            await connection.Closed.WaitAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _connection = null;
            SetState(_stopRequested ? EsmeState.Stopped : EsmeState.Disconnected);
            await sessionEnd.CancelAsync().ConfigureAwait(false);
            await keepAlive.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task KeepAliveAsync(SmppConnection connection, CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.EnquireLinkInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await connection.RequestAsync(new EnquireLink(), _options.ResponseTimeout, token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    EsmeLog.EnquireLinkTimedOut(_logger, _endpoint, _options.ResponseTimeout);
                    connection.Close();
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SmppConnectionClosedException)
        {
            // The session ended.
        }
    }

    private async Task<(SmppSubmitOutcome Outcome, uint Status, string MessageId, string? Detail, TimeSpan Latency)> SubmitPartAsync(
        SubmitSm pdu, string to, MessagePart part, CancellationToken cancellationToken)
    {
        var latency = TimeSpan.Zero;
        for (var retry = 0; ; retry++)
        {
            await WaitOutThrottleAsync(cancellationToken).ConfigureAwait(false);
            if (_connection is null)
            {
                SubmitAnswered?.Invoke("not_connected");
                return (SmppSubmitOutcome.NotConnected, SmppStatus.Ok, "", $"not bound to {_endpoint}", latency);
            }

            await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
            Pdu response;
            var sent = _time.GetTimestamp();
            try
            {
                var connection = _connection;
                if (connection is null)
                {
                    SubmitAnswered?.Invoke("not_connected");
                    return (SmppSubmitOutcome.NotConnected, SmppStatus.Ok, "", $"not bound to {_endpoint}", latency);
                }

                response = await connection.RequestAsync(pdu, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                SubmitAnswered?.Invoke("timeout");
                return (SmppSubmitOutcome.TimedOut, SmppStatus.Ok, "", $"no submit_sm_resp within {_options.ResponseTimeout}", latency + _time.GetElapsedTime(sent));
            }
            catch (SmppConnectionClosedException)
            {
                SubmitAnswered?.Invoke("connection_lost");
                return (SmppSubmitOutcome.ConnectionLost, SmppStatus.Ok, "", "the session dropped before submit_sm_resp", latency + _time.GetElapsedTime(sent));
            }
            finally
            {
                _window.Release();
            }

            latency += _time.GetElapsedTime(sent);
            SubmitAnswered?.Invoke(SmppStatus.Name(response.CommandStatus));
            if (response.CommandStatus == SmppStatus.Throttled)
            {
                Interlocked.Increment(ref _throttles);
                if (retry >= _options.MaxThrottleRetries)
                {
                    return (SmppSubmitOutcome.Throttled, SmppStatus.Throttled, "", $"still throttled after {retry} retries", latency);
                }

                var delay = TimeSpan.FromTicks(Math.Min(_options.ThrottleBackoff.Ticks << Math.Min(retry, 20), _options.ReconnectMaxBackoff.Ticks));
                PauseSubmitsFor(delay);
                EsmeLog.Throttled(_logger, new MaskedNumber(to), part.Sequence, part.Total, retry + 1, delay);
                continue;
            }

            if (response is SubmitSmResp { CommandStatus: SmppStatus.Ok } accepted)
            {
                return (SmppSubmitOutcome.Accepted, SmppStatus.Ok, accepted.MessageId, null, latency);
            }

            return (SmppSubmitOutcome.Rejected, response.CommandStatus, "", response is GenericNack ? "generic_nack" : null, latency);
        }
    }

    // A throttled answer pauses every submit, not only the one throttled: the SMSC's limit is per session.
    private void PauseSubmitsFor(TimeSpan delay)
    {
        var until = (_time.GetUtcNow() + delay).UtcTicks;
        var current = Interlocked.Read(ref _throttledUntilTicks);
        while (until > current)
        {
            var seen = Interlocked.CompareExchange(ref _throttledUntilTicks, until, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }
    }

    private async Task WaitOutThrottleAsync(CancellationToken cancellationToken)
    {
        var wait = Interlocked.Read(ref _throttledUntilTicks) - _time.GetUtcNow().UtcTicks;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromTicks(wait), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Runs on the read loop as submit_sm_resp arrives, so a receipt the SMSC sends right behind it finds the id.
    private void RememberSubmitted(Pdu response)
    {
        if (response is SubmitSmResp { CommandStatus: SmppStatus.Ok, MessageId.Length: > 0 } accepted)
        {
            _submitted.Add(accepted.MessageId);
        }
    }

    private Task HandleRequestAsync(Pdu request, SmppConnection connection) => request switch
    {
        EnquireLink enquire => connection.SendAsync(enquire.Response(), CancellationToken.None),
        Unbind unbind => AnswerUnbindAsync(unbind, connection),
        DeliverSm deliver => HandleDeliverSmAsync(deliver, connection),
        DataSm data => HandleDataSmAsync(data, connection),
        _ => connection.SendAsync(new GenericNack { CommandStatus = SmppStatus.InvalidCommandId, SequenceNumber = request.SequenceNumber }, CancellationToken.None),
    };

    private async Task AnswerUnbindAsync(Unbind unbind, SmppConnection connection)
    {
        EsmeLog.UnbindRequested(_logger, _endpoint);
        await connection.SendAsync(unbind.Response(), CancellationToken.None).ConfigureAwait(false);
        connection.Close();
    }

    private async Task HandleDeliverSmAsync(DeliverSm pdu, SmppConnection connection)
    {
        var status = await HandOverAsync(pdu).ConfigureAwait(false);
        await connection.SendAsync(pdu.Response(status), CancellationToken.None).ConfigureAwait(false);
    }

    // data_sm (§4.7) carries MO messages and status reports like deliver_sm; its answer is data_sm_resp.
    private async Task HandleDataSmAsync(DataSm pdu, SmppConnection connection)
    {
        var status = await HandOverAsync(pdu).ConfigureAwait(false);
        await connection.SendAsync(pdu.Response(status, ""), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Hands a delivery to its owner; ESME_ROK once stored, ESME_RX_T_APPN (the SMSC retries) otherwise.</summary>
    private async Task<uint> HandOverAsync(Pdu pdu)
    {
        if (DeliveryHandler is not { } handler)
        {
            EsmeLog.DeliveryNotTaken(_logger, _endpoint, pdu.Name, "no delivery handler is set");
            return SmppStatus.ReceiverTemporaryError;
        }

        try
        {
            await handler(new SmscDelivery(pdu, _time.GetUtcNow()), _stopping.Token).ConfigureAwait(false);
            return SmppStatus.Ok;
        }
#pragma warning disable CA1031 // Whatever the owner's failure, the SMSC must hear "try again later", not lose the session.
        catch (Exception e)
#pragma warning restore CA1031
        {
            EsmeLog.DeliveryNotTaken(_logger, _endpoint, pdu.Name, e.GetType().Name); // The owner logged what happened, masked.
            return SmppStatus.ReceiverTemporaryError;
        }
    }

    private void SetState(EsmeState state)
    {
        lock (_stateLock)
        {
            if (_state == EsmeState.Stopped)
            {
                return;
            }

            _state = state;
            if (state == EsmeState.Bound)
            {
                _bound.TrySetResult();
            }
            else if (_bound.Task.IsCompleted)
            {
                _bound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

}
