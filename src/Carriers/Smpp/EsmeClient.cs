using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pool.Sms.Encoding;
using Pool.Sms.Numbers;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Smpp;

/// <summary>
/// An SMPP 3.4 ESME bound as a transceiver to one SMSC. <see cref="Start"/> connects and keeps the
/// session up: enquire_link probes it, a session that drops or stops answering is replaced, and
/// connection attempts back off exponentially with jitter. <see cref="SubmitAsync"/> splits long text
/// and sends the parts within a window of outstanding requests, retrying parts the SMSC throttles.
/// Mobile-originated messages (reassembled when concatenated) arrive on <see cref="MoMessages"/> and
/// delivery receipts on <see cref="Receipts"/>; each deliver_sm is acknowledged once its message is on
/// the channel, so a crash before the reader takes it loses it (the SMSC does not resend). Stopping
/// unbinds gracefully.
/// </summary>
public sealed class EsmeClient : IAsyncDisposable
{
    private const int RememberedSubmits = 100_000;

    private readonly EsmeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _endpoint;
    private readonly SemaphoreSlim _window;
    private readonly Channel<MoMessage> _mo = Channel.CreateUnbounded<MoMessage>();
    private readonly Channel<ReceiptNotice> _receipts = Channel.CreateUnbounded<ReceiptNotice>();
    private readonly ConcatenationBuffer _concatenation;
    private readonly Lock _concatenationLock = new();
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
        _concatenation = new ConcatenationBuffer(_time, options.ConcatenationTimeout);
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

    /// <summary>Mobile-originated messages, concatenated ones reassembled.</summary>
    public ChannelReader<MoMessage> MoMessages => _mo.Reader;

    /// <summary>
    /// When set (before <c>Start</c>), every MO deliver_sm — a whole message or one part — is handed to it
    /// and acknowledged only after it completed: an owner that stores it durably loses nothing the SMSC
    /// was told is received. A handler that throws makes the answer ESME_RX_T_APPN, so the SMSC retries.
    /// Parts are then not reassembled here (the handler does it) and nothing goes to <see cref="MoMessages"/>.
    /// </summary>
    public Func<MoPart, CancellationToken, Task>? DurableMoHandler { get; set; }

    /// <summary>Delivery receipts, matched to the submitted id where this client sent the message.</summary>
    public ChannelReader<ReceiptNotice> Receipts => _receipts.Reader;

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
    /// Sends <paramref name="sms"/>, split into parts when long. Fails fast with
    /// <see cref="SubmitOutcome.NotConnected"/> when no session is bound, so a router can move on.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(OutboundSms sms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var split = MessageSplitter.Split(sms.Text, (byte)Interlocked.Increment(ref _reference));
        var (sourceTon, sourceNpi, source) = Address(sms.From);
        var (destTon, destNpi, destination) = Address(sms.To);
        var ids = new List<string>(split.Parts.Count);
        foreach (var part in split.Parts)
        {
            var pdu = new SubmitSm
            {
                SourceAddrTon = sourceTon,
                SourceAddrNpi = sourceNpi,
                SourceAddr = source,
                DestAddrTon = destTon,
                DestAddrNpi = destNpi,
                DestinationAddr = destination,
                EsmClass = part.HasUdh ? EsmClass.UdhIndicator : (byte)0,
                RegisteredDelivery = _options.RequestDeliveryReceipts ? (byte)1 : (byte)0,
                DataCoding = split.DataCoding,
                ShortMessage = part.ShortMessage,
            };
            var (outcome, status, messageId, detail) = await SubmitPartAsync(pdu, sms.To, part, cancellationToken).ConfigureAwait(false);
            if (outcome != SubmitOutcome.Accepted)
            {
                EsmeLog.SubmitFailed(_logger, new MaskedNumber(sms.To), part.Sequence, part.Total, outcome, new StatusName(status));
                return new SubmitResult(outcome, ids, split.Parts.Count, status, detail);
            }

            ids.Add(messageId);
        }

        return new SubmitResult(SubmitOutcome.Accepted, ids, split.Parts.Count, SmppStatus.Ok, null);
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
        _mo.Writer.TryComplete();
        _receipts.Writer.TryComplete();
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
                ReleaseExpiredConcatenations();
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

    private async Task<(SubmitOutcome Outcome, uint Status, string MessageId, string? Detail)> SubmitPartAsync(SubmitSm pdu, string to, MessagePart part, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            await WaitOutThrottleAsync(cancellationToken).ConfigureAwait(false);
            if (_connection is null)
            {
                return (SubmitOutcome.NotConnected, SmppStatus.Ok, "", $"not bound to {_endpoint}");
            }

            await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
            Pdu response;
            try
            {
                var connection = _connection;
                if (connection is null)
                {
                    return (SubmitOutcome.NotConnected, SmppStatus.Ok, "", $"not bound to {_endpoint}");
                }

                response = await connection.RequestAsync(pdu, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return (SubmitOutcome.TimedOut, SmppStatus.Ok, "", $"no submit_sm_resp within {_options.ResponseTimeout}");
            }
            catch (SmppConnectionClosedException)
            {
                return (SubmitOutcome.ConnectionLost, SmppStatus.Ok, "", "the session dropped before submit_sm_resp");
            }
            finally
            {
                _window.Release();
            }

            if (response.CommandStatus == SmppStatus.Throttled)
            {
                if (retry >= _options.MaxThrottleRetries)
                {
                    return (SubmitOutcome.Throttled, SmppStatus.Throttled, "", $"still throttled after {retry} retries");
                }

                var delay = TimeSpan.FromTicks(Math.Min(_options.ThrottleBackoff.Ticks << Math.Min(retry, 20), _options.ReconnectMaxBackoff.Ticks));
                PauseSubmitsFor(delay);
                EsmeLog.Throttled(_logger, new MaskedNumber(to), part.Sequence, part.Total, retry + 1, delay);
                continue;
            }

            if (response is SubmitSmResp { CommandStatus: SmppStatus.Ok } accepted)
            {
                return (SubmitOutcome.Accepted, SmppStatus.Ok, accepted.MessageId, null);
            }

            return (SubmitOutcome.Rejected, response.CommandStatus, "", response is GenericNack ? "generic_nack" : null);
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
        var status = DeliveryReceipts.IsReceipt(pdu) ? AcceptReceipt(pdu)
            : DurableMoHandler is { } handler ? await HandOverMoAsync(pdu, handler).ConfigureAwait(false)
            : AcceptMo(pdu);
        await connection.SendAsync(pdu.Response(status), CancellationToken.None).ConfigureAwait(false);
    }

    private uint AcceptReceipt(DeliverSm pdu)
    {
        if (!DeliveryReceipts.TryParse(pdu, out var receipt, out var error))
        {
            EsmeLog.InboundUnreadable(_logger, new MaskedNumber(pdu.SourceAddr), new StatusName(SmppStatus.ReceiverPermanentError), error);
            return SmppStatus.ReceiverPermanentError;
        }

        var notice = new ReceiptNotice(receipt.MessageId, _submitted.Find(receipt.MessageId), receipt.State, receipt.ErrorCode, receipt);
        return _receipts.Writer.TryWrite(notice) ? SmppStatus.Ok : SmppStatus.ReceiverTemporaryError;
    }

    private async Task<uint> HandOverMoAsync(DeliverSm pdu, Func<MoPart, CancellationToken, Task> handler)
    {
        if (!InboundMessageDecoder.TryDecode(pdu, out var message, out var error))
        {
            EsmeLog.InboundUnreadable(_logger, new MaskedNumber(pdu.SourceAddr), new StatusName(SmppStatus.ReceiverPermanentError), error);
            return SmppStatus.ReceiverPermanentError;
        }

        var part = new MoPart(International(message.Sender, pdu.SourceAddrTon), International(message.Recipient, pdu.DestAddrTon), message.Text, message.Concatenation, _time.GetUtcNow());
        try
        {
            await handler(part, CancellationToken.None).ConfigureAwait(false);
            return SmppStatus.Ok;
        }
#pragma warning disable CA1031 // Whatever the owner's failure, the SMSC must hear "try again later", not lose the session.
        catch (Exception e)
#pragma warning restore CA1031
        {
            EsmeLog.InboundUnreadable(_logger, new MaskedNumber(pdu.SourceAddr), new StatusName(SmppStatus.ReceiverTemporaryError), e.Message);
            return SmppStatus.ReceiverTemporaryError;
        }
    }

    private uint AcceptMo(DeliverSm pdu)
    {
        if (!InboundMessageDecoder.TryDecode(pdu, out var message, out var error))
        {
            EsmeLog.InboundUnreadable(_logger, new MaskedNumber(pdu.SourceAddr), new StatusName(SmppStatus.ReceiverPermanentError), error);
            return SmppStatus.ReceiverPermanentError;
        }

        var sender = International(message.Sender, pdu.SourceAddrTon);
        var recipient = International(message.Recipient, pdu.DestAddrTon);
        if (message.Concatenation is not { } part)
        {
            return _mo.Writer.TryWrite(new MoMessage(sender, recipient, message.Text, IsComplete: true, Parts: 1, _time.GetUtcNow()))
                ? SmppStatus.Ok
                : SmppStatus.ReceiverTemporaryError;
        }

        AddResult result;
        lock (_concatenationLock)
        {
            result = _concatenation.Add(sender, recipient, part, message.Text);
        }

        if (result.Evicted is { } evicted)
        {
            Publish(evicted);
        }

        if (result.Message is { } complete)
        {
            Publish(complete);
        }

        return result.Outcome == PartOutcome.Invalid ? SmppStatus.ReceiverPermanentError : SmppStatus.Ok;
    }

    private void ReleaseExpiredConcatenations()
    {
        IReadOnlyList<ReassembledMessage> expired;
        lock (_concatenationLock)
        {
            expired = _concatenation.Expire();
        }

        foreach (var message in expired)
        {
            Publish(message);
        }
    }

    private void Publish(ReassembledMessage message)
    {
        if (!message.IsComplete)
        {
            EsmeLog.IncompleteMo(_logger, new MaskedNumber(message.Key.Sender), string.Join(',', message.MissingParts));
        }

        _mo.Writer.TryWrite(new MoMessage(message.Key.Sender, message.Key.Recipient, message.Text, message.IsComplete, message.Key.Total, message.FirstPartAt));
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

    // "+85251234567" → international (TON 1, NPI 1 E.164); digits alone → unknown TON; anything else → alphanumeric (TON 5).
    private static (byte Ton, byte Npi, string Address) Address(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        if (address[0] == '+' && address.Length > 1 && address.AsSpan(1).ContainsAnyExceptInRange('0', '9') is false)
        {
            return (1, 1, address[1..]);
        }

        if (!address.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return (0, 1, address);
        }

        return (5, 0, address);
    }

    private static string International(string address, byte ton) =>
        ton == 1 && address.Length > 0 && !address.StartsWith('+') && !address.AsSpan().ContainsAnyExceptInRange('0', '9')
            ? "+" + address
            : address;
}
