using System.Diagnostics;

namespace Pool.Bench.Measurement;

/// <summary>
/// The time frame of one measurement, in <see cref="Stopwatch"/> ticks: a warm-up (operations run but
/// are not recorded), then the measured window. Workers stop starting operations at <see cref="End"/>.
/// </summary>
internal sealed class RunClock
{
    public RunClock(TimeSpan warmup, TimeSpan duration)
    {
        Start = Stopwatch.GetTimestamp();
        MeasureFrom = Start + ToTicks(warmup);
        End = MeasureFrom + ToTicks(duration);
    }

    public long Start { get; }

    public long MeasureFrom { get; }

    public long End { get; }

    public static long Now => Stopwatch.GetTimestamp();

    public bool IsRunning(long now) => now < End;

    /// <summary>An operation counts when it started inside the measured window.</summary>
    public bool IsMeasured(long startedAt) => startedAt >= MeasureFrom;

    public static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static double ToSeconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
