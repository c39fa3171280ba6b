using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pool.Carriers.Smpp;
using Pool.Sms.Encoding;
using Pool.Sms.Numbers;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Simulator;

/// <summary>How <see cref="SmscSimulator.SendMoAsync"/> marks the parts of a long MO message.</summary>
public enum MoConcatenation
{
    /// <summary>A user data header in each short_message (esm_class UDHI).</summary>
    Udh,

    /// <summary>sar_msg_ref_num, sar_total_segments and sar_segment_seqnum TLVs.</summary>
    Sar,
}

/// <summary>A message part the simulator accepted.</summary>
public sealed record SimulatedSubmit(string MessageId, string From, string To, string Text, byte DataCoding, ConcatenationInfo? Concatenation, DateTimeOffset At);

/// <summary>
/// The answer an ESME gave to one deliver_sm the simulator sent: an MO message or part (<c>Subject</c>
/// is the whole message's text) or a delivery receipt (<c>Subject</c> is the receipted message id).
/// </summary>
public sealed record SimulatedDeliverAnswer(bool Receipt, string Subject, uint CommandStatus, DateTimeOffset SentAt, DateTimeOffset AnsweredAt);

/// <summary>
/// An SMSC for tests, demos and load runs: the SMPP server side of one carrier route. It accepts binds
/// with the configured credentials, answers submit_sm with fresh hex message ids, sends delivery
/// receipts after a delay, answers enquire_link, and pushes MO messages with <see cref="SendMoAsync"/>.
/// Faults (<see cref="SimulatorFaults"/>) can be changed at any time from any thread.
/// </summary>
public sealed class SmscSimulator : IAsyncDisposable
{
    private readonly SmscSimulatorOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly ConcurrentDictionary<SmppConnection, Session> _sessions = new();
    /// <summary>How many accepted submits <see cref="Submissions"/> keeps (the oldest go first), so a long run stays bounded.</summary>
    public const int MaxRemembered = 10_000;

    private readonly ConcurrentQueue<SimulatedSubmit> _submissions = new();
    private readonly ConcurrentQueue<SimulatedDeliverAnswer> _deliverAnswers = new();
    private int _submitCount;
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private SimulatorFaults _faults = SimulatorFaults.None;
    private long _nextMessageId;
    private int _maxInFlight;
    private int _throttledAnswers;
    private int _enquireLinks;
    private int _unbinds;
    private int _refusedBinds;
    private int _acceptedBinds;

    /// <exception cref="ArgumentException">The options are invalid; the message names each bad setting.</exception>
    public SmscSimulator(SmscSimulatorOptions options, ILogger<SmscSimulator>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid SmscSimulatorOptions: " + string.Join(" ", problems), nameof(options));
        }

        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        _nextMessageId = 0x10000 + NextInt(0xFFFF);
    }

    /// <summary>The port it listens on (the one picked when the options said 0); 0 before <see cref="Start"/>.</summary>
    public int Port { get; private set; }

    /// <summary>The faults in force.</summary>
    public SimulatorFaults Faults => Volatile.Read(ref _faults);

    /// <summary>How many sessions are bound now.</summary>
    public int BoundSessions => _sessions.Values.Count(s => s.Mode is not null);

    /// <summary>The most submit_sm one session has had waiting for an answer at once.</summary>
    public int MaxInFlightSubmits => Volatile.Read(ref _maxInFlight);

    /// <summary>How many submit_sm were answered ESME_RTHROTTLED.</summary>
    public int ThrottledAnswers => Volatile.Read(ref _throttledAnswers);

    /// <summary>How many enquire_link arrived (answered or not).</summary>
    public int EnquireLinksReceived => Volatile.Read(ref _enquireLinks);

    /// <summary>How many binds were refused (bad credentials, outage, already bound).</summary>
    public int RefusedBinds => Volatile.Read(ref _refusedBinds);

    /// <summary>How many binds were accepted since the start (one per session an ESME opened and bound).</summary>
    public int AcceptedBinds => Volatile.Read(ref _acceptedBinds);

    /// <summary>How many unbind arrived.</summary>
    public int UnbindsReceived => Volatile.Read(ref _unbinds);

    /// <summary>The latest parts accepted (up to <see cref="MaxRemembered"/>), in the order accepted.</summary>
    public IReadOnlyList<SimulatedSubmit> Submissions => [.. _submissions];

    /// <summary>Every submit accepted since the start (<see cref="Submissions"/> keeps the latest <see cref="MaxRemembered"/>).</summary>
    public int SubmitCount => Volatile.Read(ref _submitCount);

    /// <summary>
    /// The latest answers (up to <see cref="MaxRemembered"/>) to the deliver_sm this simulator sent, in the
    /// order they arrived, each with its command_status; a deliver_sm that got no answer (the session closed,
    /// the ESME too slow) has none.
    /// </summary>
    public IReadOnlyList<SimulatedDeliverAnswer> DeliverAnswers => [.. _deliverAnswers];

    /// <summary>Starts listening; <see cref="Port"/> is known when this returns.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            return;
        }

        _listener = new TcpListener(_options.ListenAddress, _options.Port);
        _listener.Start();
        Port = ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;
        SimulatorLog.Listening(_logger, _options.SmscSystemId, Port);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Puts <paramref name="faults"/> in force at once; an outage drops every session.</summary>
    public void SetFaults(SimulatorFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var problems = faults.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid SimulatorFaults: " + string.Join(" ", problems), nameof(faults));
        }

        Volatile.Write(ref _faults, faults);
        SimulatorLog.FaultsSet(_logger, faults);
        if (faults.Outage)
        {
            foreach (var connection in _sessions.Keys)
            {
                connection.Close();
            }
        }
    }

    /// <summary>
    /// Sends a mobile-originated message to a bound transceiver or receiver: one deliver_sm when it fits,
    /// otherwise parts marked per <paramref name="concatenation"/>; GSM 7-bit or UCS-2 by the text.
    /// Returns how many parts the ESME acknowledged with ESME_ROK.
    /// </summary>
    /// <exception cref="InvalidOperationException">No ESME is bound to receive.</exception>
    public async Task<int> SendMoAsync(string from, string to, string text, MoConcatenation concatenation = MoConcatenation.Udh, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        ArgumentNullException.ThrowIfNull(text);
        var connection = _sessions.FirstOrDefault(s => s.Value.Mode is BindMode.Transceiver or BindMode.Receiver).Key
            ?? throw new InvalidOperationException("No ESME is bound to receive MO messages.");
        var split = MessageSplitter.Split(text, (byte)NextInt(256));
        var sarReference = (ushort)NextInt(ushort.MaxValue + 1);
        var acknowledged = 0;
        foreach (var part in split.Parts)
        {
            var source = SmppAddress.ForSubmit(from);
            var destination = SmppAddress.ForSubmit(to);
            var pdu = new DeliverSm
            {
                SourceAddrTon = source.Ton,
                SourceAddrNpi = source.Npi,
                SourceAddr = source.Address,
                DestAddrTon = destination.Ton,
                DestAddrNpi = destination.Npi,
                DestinationAddr = destination.Address,
                DataCoding = split.DataCoding,
            };
            pdu = !part.HasUdh
                ? pdu with { ShortMessage = part.ShortMessage }
                : concatenation == MoConcatenation.Udh
                    ? pdu with { EsmClass = EsmClass.UdhIndicator, ShortMessage = part.ShortMessage }
                    : pdu with
                    {
                        ShortMessage = part.ShortMessage[6..],
                        Tlvs =
                        [
                            Tlv.FromUInt16(TlvTag.SarMsgRefNum, sarReference),
                            Tlv.FromByte(TlvTag.SarTotalSegments, (byte)part.Total),
                            Tlv.FromByte(TlvTag.SarSegmentSeqnum, (byte)part.Sequence),
                        ],
                    };
            var sentAt = _time.GetUtcNow();
            var response = await connection.RequestAsync(pdu, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
            RecordAnswer(new SimulatedDeliverAnswer(false, text, response.CommandStatus, sentAt, _time.GetUtcNow()));
            if (response.CommandStatus == SmppStatus.Ok)
            {
                acknowledged++;
            }
        }

        return acknowledged;
    }

    /// <summary>
    /// Sends <paramref name="pdu"/> (a deliver_sm or data_sm built by the caller, e.g. with a data_coding,
    /// esm_class or address form the simulator would not choose) to the bound ESME; returns the
    /// command_status of its answer.
    /// </summary>
    /// <exception cref="InvalidOperationException">No ESME is bound to receive it.</exception>
    /// <exception cref="TimeoutException">The ESME did not answer within the response timeout.</exception>
    public async Task<uint> SendPduAsync(Pdu pdu, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        var connection = ReceivingConnection() ?? throw new InvalidOperationException("No ESME is bound to receive it.");
        var response = await connection.RequestAsync(pdu, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
        return response.CommandStatus;
    }

    /// <summary>
    /// Sends a delivery receipt for <paramref name="messageId"/> at once, whether or not this simulator
    /// accepted a message with that id (an SMSC reports on what it knows, not on what the ESME remembers):
    /// <paramref name="from"/> is the handset, <paramref name="to"/> the ESME's source address. Returns the
    /// command_status of the ESME's deliver_sm_resp.
    /// </summary>
    /// <exception cref="InvalidOperationException">No ESME is bound to receive.</exception>
    public async Task<uint> SendReceiptAsync(string messageId, string from, string to, MessageState state = MessageState.Delivered, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        var connection = ReceivingConnection() ?? throw new InvalidOperationException("No ESME is bound to receive delivery receipts.");
        var now = _time.GetUtcNow();
        var pdu = ReceiptPdu(messageId, messageId, state, now, SmppAddress.ForSubmit(from), SmppAddress.ForSubmit(to));
        var response = await connection.RequestAsync(pdu, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
        RecordAnswer(new SimulatedDeliverAnswer(true, messageId, response.CommandStatus, now, _time.GetUtcNow()));
        return response.CommandStatus;
    }

    /// <summary>
    /// A delivery receipt (esm_class 0x04) for <paramref name="messageId"/> from the handset
    /// <paramref name="source"/> to the ESME <paramref name="destination"/>: the SMPP 3.4 Appendix B text
    /// (naming <paramref name="textId"/>, the id as this SMSC writes it there) and, unless turned off,
    /// the receipted_message_id and message_state TLVs.
    /// </summary>
    private DeliverSm ReceiptPdu(string messageId, string textId, MessageState state, DateTimeOffset submittedAt, SmppAddress source, SmppAddress destination)
    {
        var delivered = state == MessageState.Delivered;
        var receipt = new DeliveryReceipt(textId, state, delivered ? "000" : "001", 1, delivered ? 1 : 0, submittedAt, _time.GetUtcNow(), "");
        return new DeliverSm
        {
            SourceAddrTon = source.Ton,
            SourceAddrNpi = source.Npi,
            SourceAddr = source.Address,
            DestAddrTon = destination.Ton,
            DestAddrNpi = destination.Npi,
            DestinationAddr = destination.Address,
            EsmClass = EsmClass.DeliveryReceipt,
            ShortMessage = Gsm7.Encode(DeliveryReceipts.Format(receipt)),
            Tlvs = _options.ReceiptTlvs
                ? [Tlv.FromCString(TlvTag.ReceiptedMessageId, messageId), Tlv.FromByte(TlvTag.MessageState, (byte)state)]
                : [],
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        foreach (var connection in _sessions.Keys)
        {
            connection.Close();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var connection = new SmppConnection(client, HandleAsync, _logger, _time, SmppCodec.DefaultMaxCommandLength);
            _sessions[connection] = new Session();
            _ = connection.Closed.ContinueWith(_ => _sessions.TryRemove(connection, out Session? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            connection.Start();
        }
    }

    private Task HandleAsync(Pdu request, SmppConnection connection)
    {
        if (!_sessions.TryGetValue(connection, out var session))
        {
            return Task.CompletedTask;
        }

        return request switch
        {
            Bind bind => HandleBindAsync(bind, session, connection),
            EnquireLink enquire => HandleEnquireLinkAsync(enquire, connection),
            Unbind unbind => HandleUnbindAsync(unbind, connection),
            SubmitSm submit when session.Mode is BindMode.Transmitter or BindMode.Transceiver => HandleSubmitAsync(submit, session, connection),
            SubmitSm submit => connection.SendAsync(submit.Response(SmppStatus.IncorrectBindStatus, ""), CancellationToken.None),
            _ => connection.SendAsync(new GenericNack { CommandStatus = SmppStatus.InvalidCommandId, SequenceNumber = request.SequenceNumber }, CancellationToken.None),
        };
    }

    private async Task HandleBindAsync(Bind bind, Session session, SmppConnection connection)
    {
        var status = Faults.Outage ? SmppStatus.BindFailed
            : session.Mode is not null ? SmppStatus.AlreadyBound
            : bind.SystemId != _options.SystemId ? SmppStatus.InvalidSystemId
            : bind.Password != _options.Password ? SmppStatus.InvalidPassword
            : SmppStatus.Ok;
        if (status == SmppStatus.Ok)
        {
            session.Mode = bind.Mode;
            Interlocked.Increment(ref _acceptedBinds);
            SimulatorLog.Bound(_logger, bind.Mode, bind.SystemId, connection.Peer);
        }
        else
        {
            Interlocked.Increment(ref _refusedBinds);
            SimulatorLog.BindRefused(_logger, bind.SystemId, connection.Peer, new StatusName(status));
        }

        await connection.SendAsync(bind.Response(status, _options.SmscSystemId), CancellationToken.None).ConfigureAwait(false);
        if (status == SmppStatus.BindFailed)
        {
            connection.Close();
        }
    }

    private Task HandleEnquireLinkAsync(EnquireLink enquire, SmppConnection connection)
    {
        Interlocked.Increment(ref _enquireLinks);
        return Faults.IgnoreEnquireLink ? Task.CompletedTask : connection.SendAsync(enquire.Response(), CancellationToken.None);
    }

    private async Task HandleUnbindAsync(Unbind unbind, SmppConnection connection)
    {
        Interlocked.Increment(ref _unbinds);
        await connection.SendAsync(unbind.Response(), CancellationToken.None).ConfigureAwait(false);
        connection.Close();
    }

    private async Task HandleSubmitAsync(SubmitSm submit, Session session, SmppConnection connection)
    {
        var inFlight = Interlocked.Increment(ref session.InFlight);
        try
        {
            RaiseMaxInFlight(inFlight);
            var faults = Faults;
            if (faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(faults.Latency, _time, _stopping.Token).ConfigureAwait(false);
            }

            uint status;
            string messageId = "";
            if (Roll(faults.ThrottleRate))
            {
                status = SmppStatus.Throttled;
                Interlocked.Increment(ref _throttledAnswers);
            }
            else if (Roll(faults.SubmitErrorRate))
            {
                status = faults.SubmitErrorStatus;
            }
            else
            {
                status = SmppStatus.Ok;
                messageId = Interlocked.Increment(ref _nextMessageId).ToString("X", CultureInfo.InvariantCulture);
            }

            // The in-flight count drops before the answer goes out, so an ESME that sends its next request
            // the moment it reads this one never sees a count above its window.
            Interlocked.Decrement(ref session.InFlight);
            inFlight = -1;
            if (status == SmppStatus.Ok)
            {
                // Recorded before the answer goes out, so whoever reads the answer also finds the record.
                Record(submit, messageId);
            }

            await connection.SendAsync(submit.Response(status, messageId), CancellationToken.None).ConfigureAwait(false);
            if (status == SmppStatus.Ok && (submit.RegisteredDelivery & 0x03) != 0)
            {
                _ = SendReceiptLaterAsync(submit, messageId, connection);
            }
        }
        finally
        {
            if (inFlight >= 0)
            {
                Interlocked.Decrement(ref session.InFlight);
            }
        }
    }

    private void Record(SubmitSm submit, string messageId)
    {
        var text = SmsBody.Decode(submit.ShortMessage, submit.DataCoding, EsmClass.HasUdh(submit.EsmClass));
        var to = (submit.DestAddrTon == 1 ? "+" : "") + submit.DestinationAddr;
        var from = (submit.SourceAddrTon == 1 ? "+" : "") + submit.SourceAddr;
        _submissions.Enqueue(new SimulatedSubmit(messageId, from, to, text.Text ?? Convert.ToHexString(submit.ShortMessage), submit.DataCoding, text.Header?.Concatenation, _time.GetUtcNow()));
        Interlocked.Increment(ref _submitCount);
        while (_submissions.Count > MaxRemembered && _submissions.TryDequeue(out _))
        {
        }
        SimulatorLog.Accepted(_logger, new MaskedNumber(to), messageId);
    }

    private async Task SendReceiptLaterAsync(SubmitSm submit, string messageId, SmppConnection connection)
    {
        var submittedAt = _time.GetUtcNow();
        try
        {
            if (_options.ReceiptDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.ReceiptDelay, _time, _stopping.Token).ConfigureAwait(false);
            }

            var state = Roll(Faults.DlrFailureRate) ? MessageState.Undeliverable : MessageState.Delivered;
            var textId = _options.DecimalIdInReceiptText
                ? ulong.Parse(messageId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
                : messageId;
            var pdu = ReceiptPdu(
                messageId, textId, state, submittedAt,
                new SmppAddress(submit.DestAddrTon, submit.DestAddrNpi, submit.DestinationAddr), new SmppAddress(submit.SourceAddrTon, submit.SourceAddrNpi, submit.SourceAddr));
            var target = _sessions.ContainsKey(connection) ? connection : ReceivingConnection();
            if (target is null)
            {
                SimulatorLog.DeliverFailed(_logger, new MaskedNumber(submit.SourceAddr), "no ESME is bound to receive the receipt");
                return;
            }

            var sentAt = _time.GetUtcNow();
            var response = await target.RequestAsync(pdu, _options.ResponseTimeout, _stopping.Token).ConfigureAwait(false);
            RecordAnswer(new SimulatedDeliverAnswer(true, messageId, response.CommandStatus, sentAt, _time.GetUtcNow()));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or SmppConnectionClosedException)
        {
            SimulatorLog.DeliverFailed(_logger, new MaskedNumber(submit.SourceAddr), e.Message);
        }
    }

    private void RecordAnswer(SimulatedDeliverAnswer answer)
    {
        _deliverAnswers.Enqueue(answer);
        while (_deliverAnswers.Count > MaxRemembered && _deliverAnswers.TryDequeue(out _))
        {
        }
    }

    private SmppConnection? ReceivingConnection() =>
        _sessions.FirstOrDefault(s => s.Value.Mode is BindMode.Transceiver or BindMode.Receiver).Key;

    private void RaiseMaxInFlight(int inFlight)
    {
        var current = Volatile.Read(ref _maxInFlight);
        while (inFlight > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, inFlight, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        lock (_randomLock)
        {
            return _random.NextDouble() < rate;
        }
    }

    private int NextInt(int maxExclusive)
    {
        lock (_randomLock)
        {
            return _random.Next(maxExclusive);
        }
    }

    private sealed class Session
    {
        // Touched by the read loop and by SendMoAsync / receipt senders on other threads.
        private int _mode = -1;

        public int InFlight;

        public BindMode? Mode
        {
            get => Volatile.Read(ref _mode) is var mode and >= 0 ? (BindMode)mode : null;
            set => Volatile.Write(ref _mode, value is { } mode ? (int)mode : -1);
        }
    }
}
