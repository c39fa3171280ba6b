using System.Globalization;
using Pool.Contracts.Routes;

namespace Pool.Grains.Routes;

/// <summary>
/// The live health of one route: a sliding window of submit and receipt outcomes, a score, the state
/// Healthy → Degraded → Down and a circuit breaker. Pure and single-threaded (its grain's turn);
/// every time-driven change (window expiry, cool-off end, recovery) is evaluated on the next call from
/// <see cref="TimeProvider"/>, so no timer is needed.
/// <list type="bullet">
/// <item>Closed: <see cref="RouteHealthOptions.ConsecutiveFailuresToOpen"/> failed submits in a row, or a
/// score below <see cref="RouteHealthOptions.DownBelow"/> with enough samples, open the circuit. A score
/// below <see cref="RouteHealthOptions.DegradedBelow"/> degrades at once; leaving Degraded needs the
/// score at or above <see cref="RouteHealthOptions.HealthyAtOrAbove"/> for
/// <see cref="RouteHealthOptions.RecoverAfter"/> (hysteresis: a route hovering at the threshold stays put).</item>
/// <item>Open: no traffic for <see cref="RouteHealthOptions.OpenFor"/>, then half-open.</item>
/// <item>Half-open: up to <see cref="RouteHealthOptions.HalfOpenProbes"/> probes at once;
/// <see cref="RouteHealthOptions.ProbeSuccessesToClose"/> accepted probes close the circuit with a fresh
/// window and a hold (<see cref="RouteHealthOptions.HoldAfterRecovery"/>) during which the route is
/// used only as a last resort; one failed probe re-opens it.</item>
/// </list>
/// </summary>
public sealed class RouteHealth(RouteHealthOptions options, TimeProvider time)
{
    private readonly Queue<Sample> _window = new();
    private readonly List<DateTimeOffset> _probes = [];
    private RouteState _state = RouteState.Healthy;
    private CircuitState _circuit = CircuitState.Closed;
    private int _consecutiveFailures;
    private int _probeSuccesses;
    private DateTimeOffset? _openUntil;
    private DateTimeOffset? _holdUntil;
    private DateTimeOffset? _goodSince;
    private string _reason = "no traffic yet";

    private enum Kind
    {
        Accepted,
        Error,
        Throttled,
        Timeout,
        Delivered,
        Undelivered,
    }

    public RouteState State
    {
        get
        {
            Refresh(time.GetUtcNow());
            return _state;
        }
    }

    public CircuitState Circuit
    {
        get
        {
            Refresh(time.GetUtcNow());
            return _circuit;
        }
    }

    public void RecordSubmit(SubmitOutcome outcome, TimeSpan latency)
    {
        var now = time.GetUtcNow();
        Evaluate(now);
        var kind = outcome switch
        {
            SubmitOutcome.Accepted => Kind.Accepted,
            SubmitOutcome.Throttled => Kind.Throttled,
            SubmitOutcome.Timeout => Kind.Timeout,
            _ => Kind.Error,
        };
        _window.Enqueue(new Sample(now, kind, latency));
        var failed = kind is Kind.Error or Kind.Timeout;

        switch (_circuit)
        {
            case CircuitState.HalfOpen:
                if (_probes.Count > 0)
                {
                    _probes.RemoveAt(0);
                }

                if (failed)
                {
                    Open(now, $"probe failed ({Describe(outcome)})");
                }
                else if (kind == Kind.Accepted && ++_probeSuccesses >= options.ProbeSuccessesToClose)
                {
                    Close(now);
                }

                return;
            case CircuitState.Open:
                // A late answer to a message sent before the circuit opened: counted, judged after the cool-off.
                return;
        }

        if (failed)
        {
            _consecutiveFailures++;
        }
        else if (kind == Kind.Accepted)
        {
            _consecutiveFailures = 0;
        }

        if (_consecutiveFailures >= options.ConsecutiveFailuresToOpen)
        {
            Open(now, $"{_consecutiveFailures} submits failed in a row");
            return;
        }

        Judge(now);
    }

    public void RecordReceipt(bool delivered)
    {
        var now = time.GetUtcNow();
        Evaluate(now);
        _window.Enqueue(new Sample(now, delivered ? Kind.Delivered : Kind.Undelivered, TimeSpan.Zero));
        if (_circuit == CircuitState.Closed)
        {
            Judge(now);
        }
    }

    /// <summary>Takes one of the half-open circuit's probe places; false when the circuit is not half-open or all places are taken.</summary>
    public bool TryAcquireProbe()
    {
        Evaluate(time.GetUtcNow());
        if (_circuit != CircuitState.HalfOpen || _probes.Count >= options.HalfOpenProbes)
        {
            return false;
        }

        _probes.Add(time.GetUtcNow());
        return true;
    }

    /// <summary>Forgets everything: the state a new activation starts from.</summary>
    public void Reset(string reason)
    {
        _window.Clear();
        _probes.Clear();
        _state = RouteState.Healthy;
        _circuit = CircuitState.Closed;
        _consecutiveFailures = 0;
        _probeSuccesses = 0;
        _openUntil = null;
        _holdUntil = null;
        _goodSince = null;
        _reason = reason;
    }

    public RouteHealthSnapshot Snapshot()
    {
        var now = time.GetUtcNow();
        Refresh(now);
        var counts = Count();
        return new RouteHealthSnapshot(
            _state, _circuit, Math.Round(Score(counts), 4), counts.Accepted, counts.Errors, counts.Throttled, counts.Timeouts,
            counts.Delivered, counts.Undelivered, counts.MeanLatency,
            _circuit == CircuitState.Open ? _openUntil : null,
            _holdUntil is { } hold && hold > now ? hold : null,
            _reason);
    }

    private void Refresh(DateTimeOffset now)
    {
        Evaluate(now);
        if (_circuit == CircuitState.Closed)
        {
            Judge(now);
        }
    }

    /// <summary>Applies what time alone changes: the window slides, a cool-off ends, forgotten probes free their place.</summary>
    private void Evaluate(DateTimeOffset now)
    {
        while (_window.TryPeek(out var oldest) && oldest.At <= now - options.Window)
        {
            _window.Dequeue();
        }

        if (_circuit == CircuitState.Open && _openUntil <= now)
        {
            _circuit = CircuitState.HalfOpen;
            _probeSuccesses = 0;
            _probes.Clear();
            _reason = $"cool-off over at {_openUntil:u}: half-open, probing";
        }

        _probes.RemoveAll(issued => issued <= now - options.ProbeTimeout);
    }

    /// <summary>The closed circuit's verdict from the window's score.</summary>
    private void Judge(DateTimeOffset now)
    {
        var counts = Count();
        // A throttled submit is the carrier asking to slow down, not a failure: it slows the bind and
        // is shown, but weighs neither way here (nor in the breaker).
        var submits = counts.Accepted + counts.Errors + counts.Timeouts;
        if (submits < options.MinimumSamples)
        {
            // Too little evidence to judge: a degraded route's bad evidence has aged out, which counts as good.
            if (_state == RouteState.Degraded)
            {
                RecoverIfGoodLongEnough(now, $"only {submits} submits in the window");
            }

            return;
        }

        var score = Score(counts);
        if (score < options.DownBelow)
        {
            Open(now, $"score {Format(score)} below {Format(options.DownBelow)} over {submits} submits");
        }
        else if (score < options.DegradedBelow)
        {
            if (_state != RouteState.Degraded)
            {
                _reason = $"score {Format(score)} below {Format(options.DegradedBelow)} over {submits} submits";
            }

            _state = RouteState.Degraded;
            _goodSince = null;
        }
        else if (_state == RouteState.Degraded)
        {
            if (score >= options.HealthyAtOrAbove)
            {
                RecoverIfGoodLongEnough(now, $"score {Format(score)}");
            }
            else
            {
                // Inside the hysteresis band: neither bad enough to stay counted as bad nor good enough to recover.
                _goodSince = null;
            }
        }
    }

    private void RecoverIfGoodLongEnough(DateTimeOffset now, string evidence)
    {
        _goodSince ??= now;
        if (now - _goodSince >= options.RecoverAfter)
        {
            _state = RouteState.Healthy;
            _goodSince = null;
            _reason = $"recovered: {evidence} for {options.RecoverAfter}";
        }
    }

    private void Open(DateTimeOffset now, string why)
    {
        _state = RouteState.Down;
        _circuit = CircuitState.Open;
        _openUntil = now + options.OpenFor;
        _holdUntil = null;
        _goodSince = null;
        _consecutiveFailures = 0;
        _probeSuccesses = 0;
        _probes.Clear();
        _reason = $"circuit opened: {why}";
    }

    private void Close(DateTimeOffset now)
    {
        _window.Clear();
        _probes.Clear();
        _state = RouteState.Healthy;
        _circuit = CircuitState.Closed;
        _openUntil = null;
        _holdUntil = now + options.HoldAfterRecovery;
        _consecutiveFailures = 0;
        _reason = $"circuit closed after {_probeSuccesses} successful probes; held back until {_holdUntil:u}";
        _probeSuccesses = 0;
    }

    private double Score(Counts counts)
    {
        var submits = counts.Accepted + counts.Errors + counts.Timeouts;
        var submitRate = submits == 0 ? 1 : (double)counts.Accepted / submits;
        var receipts = counts.Delivered + counts.Undelivered;
        var deliveryRate = receipts < options.MinimumReceipts ? 1 : (double)counts.Delivered / receipts;
        var latencyFactor = counts.Accepted == 0 ? 1 : 1 - (0.5 * counts.Slow / counts.Accepted);
        return submitRate * deliveryRate * latencyFactor;
    }

    private Counts Count()
    {
        var counts = new Counts();
        var latency = TimeSpan.Zero;
        foreach (var sample in _window)
        {
            switch (sample.Kind)
            {
                case Kind.Accepted:
                    counts.Accepted++;
                    latency += sample.Latency;
                    counts.Slow += sample.Latency > options.SlowSubmit ? 1 : 0;
                    break;
                case Kind.Error:
                    counts.Errors++;
                    break;
                case Kind.Throttled:
                    counts.Throttled++;
                    break;
                case Kind.Timeout:
                    counts.Timeouts++;
                    break;
                case Kind.Delivered:
                    counts.Delivered++;
                    break;
                case Kind.Undelivered:
                    counts.Undelivered++;
                    break;
            }
        }

        counts.MeanLatency = counts.Accepted == 0 ? null : latency / counts.Accepted;
        return counts;
    }

    // Three decimals: a score just under a threshold must not print as equal to it ("0.90 below 0.90").
    private static string Format(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Describe(SubmitOutcome outcome) => outcome switch
    {
        SubmitOutcome.Timeout => "timeout",
        SubmitOutcome.Throttled => "throttled",
        _ => "error",
    };

    private readonly record struct Sample(DateTimeOffset At, Kind Kind, TimeSpan Latency);

    private sealed class Counts
    {
        public int Accepted { get; set; }

        public int Errors { get; set; }

        public int Throttled { get; set; }

        public int Timeouts { get; set; }

        public int Delivered { get; set; }

        public int Undelivered { get; set; }

        public int Slow { get; set; }

        public TimeSpan? MeanLatency { get; set; }
    }
}
