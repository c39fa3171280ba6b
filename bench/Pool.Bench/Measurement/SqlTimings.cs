using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pool.Bench.Measurement;

/// <summary>
/// How long the PostgreSQL commands of this process take, grouped by a label the caller derives from
/// the SQL: Npgsql's own tracing (its "Npgsql" activity source, one activity per command, from
/// sending it to its completion), listened to in-process while <see cref="Recording"/> is on.
/// </summary>
internal sealed class SqlTimings : IDisposable
{
    private const int MaxSamplesPerCommand = 1_000_000;

    private readonly ActivityListener _listener;
    private readonly Func<string, string> _label;
    private readonly ConcurrentDictionary<string, Command> _commands = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public SqlTimings(Func<string, string> label)
    {
        _label = label;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    /// <summary>Every label seen, with its count and latency, most total time first.</summary>
    public IReadOnlyList<SqlCommandTiming> Results() =>
        [.. _commands
            .Select(c => c.Value.Result(c.Key))
            .OrderByDescending(c => c.TotalMs)];

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity activity)
    {
        if (!_recording)
        {
            return;
        }

        var sql = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
        _commands.GetOrAdd(_label(sql), _ => new Command()).Add((long)(activity.Duration.TotalSeconds * Stopwatch.Frequency));
    }

    private sealed class Command
    {
        private readonly LatencySamples _samples = new(MaxSamplesPerCommand);
        private readonly Lock _lock = new();
        private long _count;
        private long _totalTicks;

        public void Add(long ticks)
        {
            lock (_lock)
            {
                _count++;
                _totalTicks += ticks;
                _samples.Add(ticks);
            }
        }

        public SqlCommandTiming Result(string label)
        {
            lock (_lock)
            {
                return new SqlCommandTiming(label, _count, RunClock.ToMilliseconds(_totalTicks), Latency.Of([_samples]));
            }
        }
    }
}

/// <summary>One kind of PostgreSQL command: how many ran, their total time, and their latency.</summary>
internal sealed record SqlCommandTiming(string Command, long Count, double TotalMs, Latency Latency);
