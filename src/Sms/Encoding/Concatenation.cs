using System.Text;

namespace Pool.Sms.Encoding;

/// <summary>Identifies one concatenated message: its parts share sender, recipient, reference and total.</summary>
public readonly record struct ConcatenationKey(string Sender, string Recipient, int Reference, int Total);

/// <summary>
/// A message put back together. <see cref="IsComplete"/> is false when it was released by timeout or
/// eviction; its <see cref="Text"/> then carries <see cref="ConcatenationBuffer.MissingMarker"/> where
/// the parts listed in <see cref="MissingParts"/> would have been.
/// </summary>
public sealed record ReassembledMessage(ConcatenationKey Key, string Text, bool IsComplete, IReadOnlyList<int> MissingParts, DateTimeOffset FirstPartAt);

/// <summary>What became of a part handed to <see cref="ConcatenationBuffer.Add"/>.</summary>
public enum PartOutcome
{
    /// <summary>Stored; the message still waits for other parts.</summary>
    Accepted,

    /// <summary>This was the last missing part; the message is complete.</summary>
    Completed,

    /// <summary>
    /// A part with this sequence number already arrived (or its message completed within the timeout);
    /// this copy was dropped.
    /// </summary>
    Duplicate,

    /// <summary>The total or sequence number is out of range; the part was dropped.</summary>
    Invalid,
}

/// <summary>
/// The result of adding a part: the outcome, the message when it completed, and any message evicted
/// (as incomplete) to keep the number of open messages under the cap.
/// </summary>
public sealed record AddResult(PartOutcome Outcome, ReassembledMessage? Message, ReassembledMessage? Evicted);

/// <summary>
/// Reassembles concatenated SMS (UDH 8/16-bit references or SMPP SAR TLVs) in sequence order. Pure and
/// single-threaded: the owner serialises calls. A message not complete within the timeout of its first
/// part is released by <see cref="Expire"/> as incomplete; memory is bounded by a cap on open messages.
/// </summary>
public sealed class ConcatenationBuffer
{
    /// <summary>Stands in for each missing part in the text of an incomplete message.</summary>
    public const string MissingMarker = "[…]";

    /// <summary>The most parts a concatenated message can have (the total is one octet).</summary>
    public const int MaxParts = 255;

    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly int _maxOpenMessages;
    private readonly Dictionary<ConcatenationKey, LinkedListNode<Pending>> _open = [];
    private readonly LinkedList<Pending> _byAge = new();
    private readonly Dictionary<ConcatenationKey, DateTimeOffset> _completed = [];
    private readonly Queue<(ConcatenationKey Key, DateTimeOffset At)> _completedByAge = new();

    /// <param name="time">The clock; parts are timed from the arrival of a message's first part.</param>
    /// <param name="timeout">How long to wait for missing parts; 60 seconds when null.</param>
    /// <param name="maxOpenMessages">How many incomplete messages to hold before the oldest is released.</param>
    public ConcatenationBuffer(TimeProvider time, TimeSpan? timeout = null, int maxOpenMessages = 10_000)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOpenMessages, 1);
        _time = time;
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_timeout, TimeSpan.Zero, nameof(timeout));
        _maxOpenMessages = maxOpenMessages;
    }

    /// <summary>How many messages are waiting for parts.</summary>
    public int OpenCount => _open.Count;

    /// <summary>Adds a part described by a UDH concatenation element.</summary>
    public AddResult Add(string sender, string recipient, ConcatenationInfo part, string text)
    {
        ArgumentNullException.ThrowIfNull(part);
        return Add(sender, recipient, part.Reference, part.Total, part.Sequence, text);
    }

    /// <summary>
    /// Adds a part: <paramref name="reference"/>, <paramref name="total"/> and <paramref name="sequence"/>
    /// come from a UDH element or from the SAR TLVs (sar_msg_ref_num, sar_total_segments, sar_segment_seqnum).
    /// </summary>
    public AddResult Add(string sender, string recipient, int reference, int total, int sequence, string text)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(text);
        if (total is < 1 or > MaxParts || sequence < 1 || sequence > total)
        {
            return new AddResult(PartOutcome.Invalid, null, null);
        }

        var key = new ConcatenationKey(sender, recipient, reference, total);
        ForgetCompletedBefore(_time.GetUtcNow() - _timeout);
        if (_completed.ContainsKey(key))
        {
            return new AddResult(PartOutcome.Duplicate, null, null);
        }

        ReassembledMessage? evicted = null;
        if (!_open.TryGetValue(key, out var node))
        {
            if (_open.Count >= _maxOpenMessages)
            {
                evicted = Release(_byAge.First!);
            }

            node = _byAge.AddLast(new Pending(key, _time.GetUtcNow()));
            _open.Add(key, node);
        }

        var pending = node.Value;
        if (pending.Parts[sequence - 1] is not null)
        {
            return new AddResult(PartOutcome.Duplicate, null, evicted);
        }

        pending.Parts[sequence - 1] = text;
        pending.Received++;
        if (pending.Received < total)
        {
            return new AddResult(PartOutcome.Accepted, null, evicted);
        }

        RememberCompleted(key);
        return new AddResult(PartOutcome.Completed, Release(node), evicted);
    }

    /// <summary>Releases, as incomplete, every message whose first part arrived at least the timeout ago.</summary>
    public IReadOnlyList<ReassembledMessage> Expire()
    {
        var cutoff = _time.GetUtcNow() - _timeout;
        ForgetCompletedBefore(cutoff);
        var expired = new List<ReassembledMessage>();
        while (_byAge.First is { } oldest && oldest.Value.FirstPartAt <= cutoff)
        {
            expired.Add(Release(oldest));
        }

        return expired;
    }

    // Completed keys are remembered for one timeout so that a carrier's resend of a part is dropped
    // instead of opening a new message that would later surface as a bogus incomplete one.
    private void RememberCompleted(ConcatenationKey key)
    {
        if (_completedByAge.Count >= _maxOpenMessages && _completedByAge.TryDequeue(out var oldest))
        {
            _completed.Remove(oldest.Key);
        }

        var now = _time.GetUtcNow();
        _completed[key] = now;
        _completedByAge.Enqueue((key, now));
    }

    private void ForgetCompletedBefore(DateTimeOffset cutoff)
    {
        while (_completedByAge.TryPeek(out var oldest) && oldest.At <= cutoff)
        {
            _completedByAge.Dequeue();
            if (_completed.TryGetValue(oldest.Key, out var at) && at == oldest.At)
            {
                _completed.Remove(oldest.Key);
            }
        }
    }

    /// <summary>
    /// The text of a message from its parts in sequence order, each missing part (null) standing as
    /// <see cref="MissingMarker"/>; also the 1-based numbers of the missing parts.
    /// </summary>
    public static (string Text, IReadOnlyList<int> MissingParts) Join(IReadOnlyList<string?> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new StringBuilder();
        var missing = new List<int>();
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is { } part)
            {
                text.Append(part);
            }
            else
            {
                text.Append(MissingMarker);
                missing.Add(i + 1);
            }
        }

        return (text.ToString(), missing);
    }

    private ReassembledMessage Release(LinkedListNode<Pending> node)
    {
        _byAge.Remove(node);
        _open.Remove(node.Value.Key);
        return node.Value.ToMessage();
    }

    private sealed class Pending(ConcatenationKey key, DateTimeOffset firstPartAt)
    {
        public ConcatenationKey Key { get; } = key;

        public DateTimeOffset FirstPartAt { get; } = firstPartAt;

        public string?[] Parts { get; } = new string?[key.Total];

        public int Received { get; set; }

        public ReassembledMessage ToMessage()
        {
            var (text, missing) = Join(Parts);
            return new ReassembledMessage(Key, text, missing.Count == 0, missing, FirstPartAt);
        }
    }
}
