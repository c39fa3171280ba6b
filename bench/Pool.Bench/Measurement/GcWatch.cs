using System.Diagnostics;

namespace Pool.Bench.Measurement;

/// <summary>
/// The garbage collector of this process over one measured window: the total time it paused the process
/// (<see cref="GC.GetTotalPauseDuration"/>, exact), the collections of each generation, and the longest
/// single pause among the collections it saw. The runtime keeps the pauses of the last collection of each
/// kind only (<see cref="GC.GetGCMemoryInfo(GCKind)"/>), so the watch looks every
/// <see cref="PollInterval"/> and says how many of the window's collections it saw.
/// </summary>
internal sealed class GcWatch : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private static readonly GCKind[] s_kinds = [GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background];

    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<long> _seen = [];
    private readonly Task _polling;
    private Baseline? _baseline;
    private TimeSpan _maxPause;

    private GcWatch(long startAt)
    {
        _polling = Task.Run(() => PollAsync(startAt, _stop.Token));
    }

    /// <summary>Starts watching at <paramref name="startAt"/> (a <see cref="Stopwatch"/> timestamp, e.g. the end of a warm-up).</summary>
    public static GcWatch StartAt(long startAt) => new(startAt);

    /// <summary>Stops watching and returns what the collector did since the start (all zero if the start was never reached).</summary>
    public async Task<GcWindow> StopAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        if (_baseline is not { } start)
        {
            return new GcWindow(0, 0, 0, 0, null, 0, 0);
        }

        Sample(start.LastIndex);
        var collections = GC.CollectionCount(0) - start.Gen0;
        return new GcWindow(
            (GC.GetTotalPauseDuration() - start.Paused).TotalMilliseconds,
            GC.CollectionCount(2) - start.Gen2,
            GC.CollectionCount(1) - start.Gen1,
            collections,
            _seen.Count == 0 ? null : _maxPause.TotalMilliseconds,
            Math.Min(_seen.Count, collections),
            GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _polling;
        }

        _stop.Dispose();
    }

    private async Task PollAsync(long startAt, CancellationToken cancellationToken)
    {
        try
        {
            var wait = startAt - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(RunClock.ToSeconds(wait)), cancellationToken);
            }

            var baseline = new Baseline(
                GC.GetTotalPauseDuration(),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                GC.GetGCMemoryInfo(GCKind.Any).Index);
            _baseline = baseline;
            using var timer = new PeriodicTimer(PollInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Sample(baseline.LastIndex);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Notes the last collection of each kind, if it is one of the window's and not seen yet.</summary>
    private void Sample(long lastIndexBefore)
    {
        foreach (var kind in s_kinds)
        {
            var info = GC.GetGCMemoryInfo(kind);
            if (info.Index <= lastIndexBefore || !_seen.Add(info.Index))
            {
                continue;
            }

            foreach (var pause in info.PauseDurations)
            {
                _maxPause = pause > _maxPause ? pause : _maxPause;
            }
        }
    }

    private sealed record Baseline(TimeSpan Paused, int Gen0, int Gen1, int Gen2, long LastIndex);
}

/// <summary>
/// What the garbage collector did in one window: total pause time, collections of generation 2, of
/// generation 1 or 2, and of any generation (<see cref="Collections"/>), the longest pause among the
/// collections seen, how many of them were seen, and the managed heap's size at the end.
/// </summary>
internal sealed record GcWindow(
    double PauseTotalMs,
    int Gen2Collections,
    int Gen1Collections,
    int Collections,
    double? MaxPauseMs,
    int CollectionsSeen,
    long HeapSizeBytes);
