namespace Pool.Bench.Measurement;

/// <summary>
/// One worker's latencies of one kind of call, in Stopwatch ticks, kept in an array that grows up to
/// a fixed capacity (no locks, no allocation per sample). Percentiles are computed at the end.
/// </summary>
internal sealed class LatencySamples(int capacity)
{
    private const int InitialSize = 4096;

    private long[] _ticks = new long[Math.Min(capacity, InitialSize)];

    public int Count { get; private set; }

    public bool IsFull => Count >= capacity;

    public ReadOnlySpan<long> Ticks => _ticks.AsSpan(0, Count);

    public void Add(long ticks)
    {
        if (Count == _ticks.Length)
        {
            if (IsFull)
            {
                return;
            }

            Array.Resize(ref _ticks, (int)Math.Min(capacity, _ticks.Length * 2L));
        }

        _ticks[Count++] = ticks;
    }
}
