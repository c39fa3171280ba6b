namespace Pool.Bench.Measurement;

/// <summary>Latency percentiles of one kind of call over every worker, in milliseconds (null when nothing was measured).</summary>
internal sealed record Latency(int Count, double? P50Ms, double? P90Ms, double? P99Ms, double? MaxMs, double? MeanMs)
{
    public static Latency Empty { get; } = new(0, null, null, null, null, null);

    /// <summary>Merges the samples of every worker, sorts them once, and reads nearest-rank percentiles.</summary>
    public static Latency Of(IEnumerable<LatencySamples> workers)
    {
        var parts = workers.ToList();
        var all = new long[parts.Sum(p => p.Count)];
        var at = 0;
        foreach (var part in parts)
        {
            part.Ticks.CopyTo(all.AsSpan(at));
            at += part.Count;
        }

        if (all.Length == 0)
        {
            return Empty;
        }

        Array.Sort(all);
        var sum = 0.0;
        foreach (var ticks in all)
        {
            sum += ticks;
        }

        return new Latency(
            all.Length,
            RunClock.ToMilliseconds(Percentile(all, 0.50)),
            RunClock.ToMilliseconds(Percentile(all, 0.90)),
            RunClock.ToMilliseconds(Percentile(all, 0.99)),
            RunClock.ToMilliseconds(all[^1]),
            RunClock.ToMilliseconds((long)(sum / all.Length)));
    }

    private static long Percentile(long[] sorted, double quantile)
    {
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
