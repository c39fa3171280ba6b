using System.Collections.Concurrent;
using Pool.Contracts.Inbound;
using Pool.Contracts.Tracing;

namespace Pool.Grains.Inbound;

/// <summary>
/// Carries the trace of an inbound SMS across the hand-offs where it is picked up later: the tenant's inbox
/// remembers the W3C traceparent of the span that appended the message (the carrier's POST or deliver_sm
/// trace), and a stream that writes the message or the webhook dispatcher that posts it continues that trace.
///
/// Kept in the silo's memory only (no column, no cost in the database): at most <see cref="Capacity"/> messages
/// for at most <see cref="Lifetime"/>. A hand-off this silo does not remember (another silo routed the message,
/// a retry long after, a restart) starts a trace of its own. Nothing is remembered while tracing is off or the
/// routing span was not sampled.
/// </summary>
public sealed class InboundTraces(TimeProvider time)
{
    /// <summary>The most messages remembered at once; past it the oldest are forgotten.</summary>
    public const int Capacity = 10_000;

    /// <summary>How long a message's trace is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (string TraceParent, DateTimeOffset At)> _byMessage = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>Remembers the current span's trace for <paramref name="messageId"/> (nothing when no span is recorded).</summary>
    public void Remember(string messageId)
    {
        if (PoolActivity.CurrentTraceParent() is not { } traceParent)
        {
            return;
        }

        if (_byMessage.TryAdd(messageId, (traceParent, time.GetUtcNow())))
        {
            _order.Enqueue(messageId);
            while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                _byMessage.TryRemove(oldest, out _);
            }
        }
    }

    /// <summary>The traceparent remembered for <paramref name="messageId"/>, or null.</summary>
    public string? Find(string messageId)
    {
        if (_byMessage.IsEmpty || !_byMessage.TryGetValue(messageId, out var entry))
        {
            return null;
        }

        return time.GetUtcNow() - entry.At <= Lifetime ? entry.TraceParent : null;
    }

    /// <summary><paramref name="messages"/> with the traceparents remembered for them (the same list when none is).</summary>
    public IReadOnlyList<StoredMessage> Attach(IReadOnlyList<StoredMessage> messages)
    {
        if (_byMessage.IsEmpty)
        {
            return messages;
        }

        return [.. messages.Select(m => Find(m.MessageId) is { } traceParent ? m with { TraceParent = traceParent } : m)];
    }
}
