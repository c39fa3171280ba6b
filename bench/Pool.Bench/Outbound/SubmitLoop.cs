using Pool.Bench.Measurement;

namespace Pool.Bench.Outbound;

/// <summary>How one submit ended: whether the SMSC accepted the message, and the outcome's name as reported.</summary>
internal readonly record struct SubmitAnswer(bool Accepted, string Outcome);

/// <summary>
/// Concurrent senders submitting back to back: each starts its next submit as soon as its last one was
/// answered, through a warm-up and then the measured window. A submit is measured when it started inside
/// the window; the loop never starts more than <c>maxOperations</c> submits, warm-up included.
/// </summary>
internal static class SubmitLoop
{
    public static async Task<SubmitRun> RunAsync(
        int senders,
        TimeSpan warmup,
        TimeSpan duration,
        int maxOperations,
        Func<long, CancellationToken, Task<SubmitAnswer>> submit,
        CancellationToken cancellationToken)
    {
        var clock = new RunClock(warmup, duration);
        var budget = new Budget(maxOperations);
        var runs = await Task.WhenAll(Enumerable.Range(0, senders).Select(_ =>
            Task.Run(() => SendAsync(clock, budget, submit, maxOperations, cancellationToken), cancellationToken)));

        var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (outcome, count) in runs.SelectMany(r => r.Outcomes))
        {
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + count;
        }

        var accepted = runs.Sum(r => r.Latency.Count);
        var window = RunClock.ToSeconds(runs.Max(r => r.StoppedAt) - clock.MeasureFrom);
        return new SubmitRun(
            accepted,
            Math.Max(0, window),
            window > 0 ? accepted / window : 0,
            Latency.Of(runs.Select(r => r.Latency)),
            runs.Sum(r => r.MeasuredFailures),
            outcomes,
            runs.Sum(r => r.Outcomes.Values.Sum()),
            budget.Exhausted);
    }

    private static async Task<Sender> SendAsync(
        RunClock clock, Budget budget, Func<long, CancellationToken, Task<SubmitAnswer>> submit, int capacity, CancellationToken cancellationToken)
    {
        var sender = new Sender(capacity);
        while (true)
        {
            var started = RunClock.Now;
            if (!clock.IsRunning(started) || !budget.TryTake(out var n))
            {
                break;
            }

            var answer = await submit(n, cancellationToken);
            var answered = RunClock.Now;
            sender.StoppedAt = answered;
            sender.Outcomes[answer.Outcome] = sender.Outcomes.GetValueOrDefault(answer.Outcome) + 1;
            if (!clock.IsMeasured(started))
            {
                continue;
            }

            if (answer.Accepted)
            {
                sender.Latency.Add(answered - started);
            }
            else
            {
                sender.MeasuredFailures++;
            }
        }

        return sender;
    }

    /// <summary>Numbers the submits, and stops handing them out at the operation cap.</summary>
    private sealed class Budget(int limit)
    {
        private long _taken;
        private int _exhausted;

        public bool Exhausted => Volatile.Read(ref _exhausted) == 1;

        public bool TryTake(out long n)
        {
            n = Interlocked.Increment(ref _taken) - 1;
            if (n < limit)
            {
                return true;
            }

            Volatile.Write(ref _exhausted, 1);
            return false;
        }
    }

    private sealed class Sender(int capacity)
    {
        /// <summary>Latency of the measured submits the SMSC accepted.</summary>
        public LatencySamples Latency { get; } = new(capacity);

        public long MeasuredFailures { get; set; }

        public Dictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);

        public long StoppedAt { get; set; }
    }
}

/// <summary>
/// What the senders did: accepted submits in the measured window (which ends when the last sender's last
/// submit was answered) and their latency; outcomes of every submit, warm-up included.
/// </summary>
internal sealed record SubmitRun(
    long Accepted,
    double MeasuredSeconds,
    double AcceptedPerSecond,
    Latency Latency,
    long MeasuredFailures,
    IReadOnlyDictionary<string, long> Outcomes,
    long SubmitsIncludingWarmup,
    bool StoppedByOperationCap);
