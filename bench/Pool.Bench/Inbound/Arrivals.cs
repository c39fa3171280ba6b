using System.Collections.Concurrent;
using Pool.Bench.Measurement;

namespace Pool.Bench.Inbound;

/// <summary>
/// The messages sent and not yet seen on one delivery path (the tenant's stream, the webhook), by the
/// code each carries: a sender notes the time just before its POST, the path's reader the time the
/// message reached it. A code seen that is not waiting (never sent, or seen twice) counts as unexpected.
/// </summary>
internal sealed class Arrivals(int capacity)
{
    private readonly ConcurrentDictionary<string, Sent> _waiting = new(StringComparer.Ordinal);
    private readonly LatencySamples _latency = new(capacity);
    private readonly Lock _lock = new();
    private long _unexpected;
    private long _arrived;
    private long _lastMeasuredArrival;

    /// <summary>Every message that arrived, warm-up included.</summary>
    public long Arrived => Interlocked.Read(ref _arrived);

    public long Unexpected => Interlocked.Read(ref _unexpected);

    public bool IsEmpty => _waiting.IsEmpty;

    public int Waiting => _waiting.Count;

    /// <summary>When the last measured message arrived (0: none did).</summary>
    public long LastMeasuredArrival
    {
        get
        {
            lock (_lock)
            {
                return _lastMeasuredArrival;
            }
        }
    }

    public void Expect(string code, long sentAt, bool measured) => _waiting[code] = new Sent(sentAt, measured);

    /// <summary>The carrier endpoint refused the message: it will never arrive.</summary>
    public void Forget(string code) => _waiting.TryRemove(code, out _);

    public void Arrive(string code, long at)
    {
        if (!_waiting.TryRemove(code, out var sent))
        {
            Interlocked.Increment(ref _unexpected);
            return;
        }

        Interlocked.Increment(ref _arrived);
        if (sent.Measured)
        {
            lock (_lock)
            {
                _latency.Add(at - sent.At);
                _lastMeasuredArrival = Math.Max(_lastMeasuredArrival, at);
            }
        }
    }

    /// <summary>Waits until every message sent has arrived or <paramref name="timeout"/> passed; returns how many are still missing.</summary>
    public async Task<int> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = RunClock.Now + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (!_waiting.IsEmpty && RunClock.Now < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        return _waiting.Count;
    }

    public Latency Latency()
    {
        lock (_lock)
        {
            return Measurement.Latency.Of([_latency]);
        }
    }

    private readonly record struct Sent(long At, bool Measured);
}
