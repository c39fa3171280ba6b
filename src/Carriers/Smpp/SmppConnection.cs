using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Pool.Sms.Smpp;

namespace Pool.Carriers.Smpp;

/// <summary>The connection closed (or was closed) before a response came.</summary>
public sealed class SmppConnectionClosedException : IOException
{
    public SmppConnectionClosedException()
        : base("The SMPP connection is closed.")
    {
    }

    public SmppConnectionClosedException(string message)
        : base(message)
    {
    }

    public SmppConnectionClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// One SMPP TCP session, either side: reads PDUs in a loop, pairs responses with their requests by
/// sequence number, hands requests to the owner, and serialises writes. A body that cannot be read is
/// answered with generic_nack; a broken frame closes the connection.
/// </summary>
internal sealed partial class SmppConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly SmppFrameReader _reader;
    private readonly Func<Pdu, SmppConnection, Task> _onRequest;
    private readonly Action<Pdu>? _onResponse;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _peer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<Pdu>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sequence;
    private int _closeStarted;

    /// <param name="onResponse">
    /// Sees each response on the read loop, before its waiter resumes and before any later PDU is read:
    /// what it records is in place when a PDU that followed the response on the wire is handled.
    /// </param>
    public SmppConnection(TcpClient client, Func<Pdu, SmppConnection, Task> onRequest, ILogger logger, TimeProvider time, int maxCommandLength, Action<Pdu>? onResponse = null)
    {
        _client = client;
        _client.NoDelay = true;
        _stream = client.GetStream();
        _reader = new SmppFrameReader(_stream, maxCommandLength);
        _onRequest = onRequest;
        _onResponse = onResponse;
        _logger = logger;
        _time = time;
        _peer = client.Client.RemoteEndPoint?.ToString() ?? "unknown";
    }

    /// <summary>Completes when the connection has closed, for whatever reason.</summary>
    public Task Closed => _closed.Task;

    public string Peer => _peer;

    /// <summary>What the owner keeps with the session (the simulator's bind state).</summary>
    public object? State { get; set; }

    public void Start() => _ = Task.Run(ReadLoopAsync);

    /// <summary>The next sequence number, 1 to 0x7FFFFFFF and round again.</summary>
    public uint NextSequence()
    {
        while (true)
        {
            var next = Interlocked.Increment(ref _sequence);
            if (next is > 0 and <= 0x7FFFFFFF)
            {
                return (uint)next;
            }

            Interlocked.CompareExchange(ref _sequence, 0, next);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> with a fresh sequence number and waits for its response (or a
    /// generic_nack). Throws <see cref="TimeoutException"/> after <paramref name="timeout"/> and
    /// <see cref="SmppConnectionClosedException"/> when the connection ends first.
    /// </summary>
    public async Task<Pdu> RequestAsync(Pdu request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sequenced = request with { SequenceNumber = NextSequence() };
        var response = new TaskCompletionSource<Pdu>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[sequenced.SequenceNumber] = response;
        try
        {
            if (_closeStarted != 0)
            {
                throw new SmppConnectionClosedException();
            }

            await SendAsync(sequenced, cancellationToken).ConfigureAwait(false);
            return await response.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(sequenced.SequenceNumber, out _);
        }
    }

    /// <summary>Writes one PDU; writes never interleave.</summary>
    public async Task SendAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        var bytes = SmppCodec.Encode(pdu);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            Close();
            throw new SmppConnectionClosedException("The SMPP connection closed while writing.", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the socket at once; pending requests fail with <see cref="SmppConnectionClosedException"/>.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        _client.Dispose();
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new SmppConnectionClosedException());
        }

        _closed.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _closing.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                Pdu? pdu;
                try
                {
                    pdu = await _reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                }
                catch (SmppDecodeException e) when (e.FrameIntact)
                {
                    await RefuseUnreadableAsync(e).ConfigureAwait(false);
                    continue;
                }

                if (pdu is null)
                {
                    break;
                }

                if (SmppCommandIds.IsResponse((uint)pdu.CommandId))
                {
                    if (_pending.TryGetValue(pdu.SequenceNumber, out var waiter))
                    {
                        _onResponse?.Invoke(pdu);
                        waiter.TrySetResult(pdu);
                    }
                    else
                    {
                        LogUnexpectedResponse(_logger, _peer, pdu.Name, pdu.SequenceNumber);
                    }

                    continue;
                }

                _ = DispatchAsync(pdu);
            }
        }
        catch (SmppDecodeException e)
        {
            LogBrokenFrame(_logger, _peer, e.Message);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // The peer went away or Close was called: nothing more to read.
        }
        finally
        {
            Close();
        }
    }

    /// <summary>
    /// Answers a PDU whose frame is whole but whose body cannot be read. A deliver_sm or data_sm is refused
    /// for good with its own response and ESME_RX_P_APPN (SMPP 3.4 §5.1.3: the receiver will never accept it, so
    /// the SMSC must not retry it for ever); anything else gets generic_nack with the codec's status.
    /// Each refusal is counted and logged once with its reason.
    /// </summary>
    private async Task RefuseUnreadableAsync(SmppDecodeException e)
    {
        Pdu answer = (SmppCommandId?)e.CommandId switch
        {
            SmppCommandId.DeliverSm => new DeliverSmResp { CommandStatus = SmppStatus.ReceiverPermanentError, SequenceNumber = e.SequenceNumber ?? 0 },
            SmppCommandId.DataSm => new DataSmResp { CommandStatus = SmppStatus.ReceiverPermanentError, SequenceNumber = e.SequenceNumber ?? 0 },
            _ => new GenericNack { CommandStatus = e.SuggestedStatus, SequenceNumber = e.SequenceNumber ?? 0 },
        };
        var command = e.CommandId is { } id ? SmppCommandIds.Name(id) : "unknown";
        CarrierMetrics.Refused(command, e.Field);
        LogUnreadablePdu(_logger, _peer, command, SmppStatus.Name(answer.CommandStatus), e.Message);
        await SendAsync(answer, _closing.Token).ConfigureAwait(false);
    }

    private async Task DispatchAsync(Pdu request)
    {
        try
        {
            await _onRequest(request, this).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SmppConnectionClosedException or OperationCanceledException)
        {
            // The session ended while the request was handled.
        }
#pragma warning disable CA1031 // A handler's failure must not end the read loop; it is logged and answered.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogHandlerFailed(_logger, e, _peer, request.Name);
            await TrySendAsync(new GenericNack { CommandStatus = SmppStatus.SystemError, SequenceNumber = request.SequenceNumber }).ConfigureAwait(false);
        }
    }

    private async Task TrySendAsync(Pdu pdu)
    {
        try
        {
            await SendAsync(pdu, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SmppConnectionClosedException)
        {
            // Nothing left to answer on.
        }
    }

    [LoggerMessage(EventId = 7240, Level = LogLevel.Warning, Message = "SMPP peer {Peer} sent a {Command} that cannot be read; answered {Status}: {Reason}")]
    private static partial void LogUnreadablePdu(ILogger logger, string peer, string command, string status, string reason);

    [LoggerMessage(EventId = 7241, Level = LogLevel.Warning, Message = "SMPP peer {Peer} broke framing; closing: {Reason}")]
    private static partial void LogBrokenFrame(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 7242, Level = LogLevel.Debug, Message = "SMPP peer {Peer} sent {Command} with sequence {Sequence}, which answers nothing pending (late or duplicate)")]
    private static partial void LogUnexpectedResponse(ILogger logger, string peer, string command, uint sequence);

    [LoggerMessage(EventId = 7243, Level = LogLevel.Error, Message = "Handling {Command} from SMPP peer {Peer} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string peer, string command);
}
