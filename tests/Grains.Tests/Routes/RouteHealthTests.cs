using Microsoft.Extensions.Time.Testing;
using Pool.Contracts.Routes;
using Pool.Grains.Routes;

namespace Pool.Grains.Tests.Routes;

/// <summary>The health model alone: a score from a window of outcomes, states, breaker and hysteresis, on a fake clock.</summary>
public sealed class RouteHealthTests
{
    private static readonly RouteHealthOptions Options = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private RouteHealth NewHealth() => new(Options, _clock);

    /// <summary>
    /// Plays <paramref name="outcomes"/>, one per second: A accepted, S accepted but slow, E error,
    /// O timeout, T throttled, D delivered, U undelivered.
    /// </summary>
    private void Play(RouteHealth health, string outcomes)
    {
        foreach (var outcome in outcomes)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            switch (outcome)
            {
                case 'A':
                    health.RecordSubmit(SubmitOutcome.Accepted, TimeSpan.FromMilliseconds(80));
                    break;
                case 'S':
                    health.RecordSubmit(SubmitOutcome.Accepted, TimeSpan.FromSeconds(5));
                    break;
                case 'E':
                    health.RecordSubmit(SubmitOutcome.Error, TimeSpan.FromMilliseconds(50));
                    break;
                case 'O':
                    health.RecordSubmit(SubmitOutcome.Timeout, TimeSpan.FromSeconds(10));
                    break;
                case 'T':
                    health.RecordSubmit(SubmitOutcome.Throttled, TimeSpan.FromMilliseconds(20));
                    break;
                case 'D':
                    health.RecordReceipt(delivered: true);
                    break;
                case 'U':
                    health.RecordReceipt(delivered: false);
                    break;
                default:
                    throw new ArgumentException($"unknown outcome '{outcome}'", nameof(outcomes));
            }
        }
    }

    public static TheoryData<string, string, RouteState, double> Verdicts => new()
    {
        { "no traffic", "", RouteState.Healthy, 1 },
        { "all accepted", "AAAAAAAAAA", RouteState.Healthy, 1 },
        { "one error in ten is exactly at the degraded threshold", "AAAAAEAAAA", RouteState.Healthy, 0.9 },
        { "two errors in ten", "AAAEAAAEAA", RouteState.Degraded, 0.8 },
        { "too few samples to judge, and fewer failures in a row than the breaker needs", "EEEE", RouteState.Healthy, 0 },
        { "an outage trips the breaker after five failures in a row whatever the sample size", "EEEEE", RouteState.Down, 0 },
        { "timeouts count as failures", "OOOOO", RouteState.Down, 0 },
        { "a high error rate without five in a row opens the circuit by score", "AEEAEEAEEAEE", RouteState.Down, 0.3333 },
        { "throttling slows a bind but is no failure", "TTTTTTTTTT", RouteState.Healthy, 1 },
        { "throttled submits weigh neither way among failures", "AAAAEAAAAATTTTTTTTTT", RouteState.Healthy, 0.9 },
        { "slow submits halve the score at worst", "SSSSSSSSSS", RouteState.Degraded, 0.5 },
        { "failed receipts weigh in once there are enough of them", "AAAAAAAAAADDDUU", RouteState.Degraded, 0.6 },
        { "receipts that all fail take the route down", "AAAAAAAAAAUUUUU", RouteState.Down, 0 },
        { "a few failed receipts are not yet judged", "AAAAAAAAAAUUUU", RouteState.Healthy, 1 },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void A_window_of_outcomes_gives_a_score_and_a_state(string behaviour, string outcomes, RouteState expected, double score)
    {
        var health = NewHealth();
        Play(health, outcomes);

        var snapshot = health.Snapshot();
        Assert.True(expected == snapshot.State, $"{behaviour}: expected {expected}, was {snapshot.State} ({snapshot.Reason})");
        if (expected != RouteState.Down)
        {
            Assert.True(Math.Abs(score - snapshot.Score) < 0.001, $"{behaviour}: expected score {score}, was {snapshot.Score}");
        }

        Assert.Equal(expected == RouteState.Down ? CircuitState.Open : CircuitState.Closed, snapshot.Circuit);
    }

    [Fact]
    public void Outcomes_older_than_the_window_no_longer_count()
    {
        var health = NewHealth();
        Play(health, "AAAEAAAEAA");
        Assert.Equal(RouteState.Degraded, health.State);

        _clock.Advance(Options.Window);
        var aged = health.Snapshot();

        Assert.Equal(0, aged.Submits);
        Assert.Equal(1, aged.Score);
    }

    [Fact]
    public void A_degraded_route_is_healthy_again_only_after_its_score_stayed_good_for_the_recovery_period()
    {
        var health = NewHealth();
        Play(health, "AAAEAAAEAA");
        _clock.Advance(Options.Window);
        Play(health, "AAAAAAAAAA");

        var justGood = health.State;
        _clock.Advance(Options.RecoverAfter - TimeSpan.FromSeconds(11));
        var almost = health.State;
        _clock.Advance(TimeSpan.FromSeconds(2));
        var recovered = health.State;

        Assert.Equal(RouteState.Degraded, justGood);
        Assert.Equal(RouteState.Degraded, almost);
        Assert.Equal(RouteState.Healthy, recovered);
    }

    [Fact]
    public void A_route_hovering_inside_the_hysteresis_band_stays_degraded()
    {
        var health = NewHealth();
        Play(health, "AAAEAAAEAA");
        // Rounds of twelve accepted and one error: a score near 0.92, above the degraded threshold but below the healthy one.
        for (var i = 0; i < 12; i++)
        {
            Play(health, "AAAAAAAAAAAE" + "A");
            _clock.Advance(Options.RecoverAfter / 4);
        }

        var snapshot = health.Snapshot();
        Assert.InRange(snapshot.Score, Options.DegradedBelow, Options.HealthyAtOrAbove);
        Assert.Equal(RouteState.Degraded, snapshot.State);
    }

    [Fact]
    public void An_open_circuit_turns_half_open_after_the_cool_off_and_lets_only_a_few_probes_through()
    {
        var health = NewHealth();
        Play(health, "EEEEE");
        var open = health.Snapshot();

        var duringCoolOff = health.TryAcquireProbe();
        _clock.Advance(Options.OpenFor);
        var probes = Enumerable.Range(0, Options.HalfOpenProbes + 1).Select(_ => health.TryAcquireProbe()).ToList();

        Assert.False(duringCoolOff, "an open circuit lets nothing through during its cool-off");
        Assert.Equal(_clock.GetUtcNow(), open.OpenUntil);
        Assert.Equal(CircuitState.HalfOpen, health.Circuit);
        Assert.Equal(RouteState.Down, health.State);
        Assert.Equal([true, true, false], probes);
    }

    [Fact]
    public void Enough_successful_probes_close_the_circuit_and_hold_the_route_back_for_the_hold_period()
    {
        var health = NewHealth();
        Play(health, "EEEEE");
        _clock.Advance(Options.OpenFor);

        for (var i = 0; i < Options.ProbeSuccessesToClose; i++)
        {
            Assert.True(health.TryAcquireProbe(), $"probe {i + 1} should have a place");
            health.RecordSubmit(SubmitOutcome.Accepted, TimeSpan.FromMilliseconds(60));
        }

        var closed = health.Snapshot();
        _clock.Advance(Options.HoldAfterRecovery);
        var afterHold = health.Snapshot();

        Assert.Equal(CircuitState.Closed, closed.Circuit);
        Assert.Equal(RouteState.Healthy, closed.State);
        Assert.Equal(_clock.GetUtcNow(), closed.HoldUntil);
        Assert.Equal(0, closed.Submits);
        Assert.Null(afterHold.HoldUntil);
    }

    [Fact]
    public void A_failed_probe_reopens_the_circuit_for_a_new_cool_off()
    {
        var health = NewHealth();
        Play(health, "EEEEE");
        _clock.Advance(Options.OpenFor);

        Assert.True(health.TryAcquireProbe());
        health.RecordSubmit(SubmitOutcome.Accepted, TimeSpan.FromMilliseconds(60));
        Assert.True(health.TryAcquireProbe());
        health.RecordSubmit(SubmitOutcome.Timeout, TimeSpan.FromSeconds(10));
        var reopened = health.Snapshot();

        Assert.Equal(CircuitState.Open, reopened.Circuit);
        Assert.Equal(_clock.GetUtcNow() + Options.OpenFor, reopened.OpenUntil);
        Assert.Contains("probe failed", reopened.Reason, StringComparison.Ordinal);
        Assert.False(health.TryAcquireProbe());
    }

    [Fact]
    public void A_probe_that_never_reports_back_frees_its_place_after_the_probe_timeout()
    {
        var health = NewHealth();
        Play(health, "EEEEE");
        _clock.Advance(Options.OpenFor);
        Assert.True(health.TryAcquireProbe());
        Assert.True(health.TryAcquireProbe());

        var full = health.TryAcquireProbe();
        _clock.Advance(Options.ProbeTimeout);
        var freed = health.TryAcquireProbe();

        Assert.False(full);
        Assert.True(freed);
    }

    [Fact]
    public void A_throttled_probe_neither_closes_nor_reopens_the_circuit()
    {
        var health = NewHealth();
        Play(health, "EEEEE");
        _clock.Advance(Options.OpenFor);
        Assert.True(health.TryAcquireProbe());

        health.RecordSubmit(SubmitOutcome.Throttled, TimeSpan.FromMilliseconds(10));

        Assert.Equal(CircuitState.HalfOpen, health.Circuit);
        Assert.True(health.TryAcquireProbe());
    }

    [Fact]
    public void Default_options_are_valid_and_a_bad_setting_is_named()
    {
        Assert.Empty(new RouteHealthOptions().Validate());
        var problems = new RouteHealthOptions { DownBelow = 0.95, DegradedBelow = 0.9 }.Validate().ToList();
        Assert.Contains(problems, p => p.Contains("DownBelow", StringComparison.Ordinal) && p.StartsWith(RouteHealthOptions.Section, StringComparison.Ordinal));
    }
}
