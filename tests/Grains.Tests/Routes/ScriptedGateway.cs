using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Pool.Contracts.Routes;
using Pool.Grains.Routes;

namespace Pool.Grains.Tests.Routes;

/// <summary>How the carrier behind one connection answers, set by a test.</summary>
/// <param name="ErrorRate">Share of submits refused, spread evenly (0.6: the 2nd, 4th, 5th, 7th, 9th, 10th… of every ten).</param>
/// <param name="Stall">Never answers and never gives up (a gateway waiting out throttle pauses): only the caller's cancellation ends the submit.</param>
/// <param name="Hold">Answers only once the test opens the gateway's gate (<see cref="ScriptedGateway.OpenGate"/>).</param>
/// <param name="ReuseId">Accepts every submit with this carrier message id (an SMSC that restarted its id counter).</param>
/// <param name="BeforeAnswer">Runs with the accepted id before the answer returns (a status report overtaking its submit_sm_resp).</param>
public sealed record CarrierBehaviour(
    double ErrorRate = 0,
    bool Outage = false,
    bool Throttle = false,
    bool Silent = false,
    TimeSpan? Latency = null,
    bool Stall = false,
    bool Hold = false,
    string? ReuseId = null,
    Func<string, Task>? BeforeAnswer = null)
{
    public static CarrierBehaviour Good { get; } = new();
}

/// <summary>One submit as the carrier saw it.</summary>
public sealed record Submission(string Connection, string To, string Text, SubmitOutcome Outcome, IReadOnlyList<string> CarrierMessageIds);

/// <summary>
/// A test double for the carriers: answers each connection's submits as its <see cref="CarrierBehaviour"/>
/// says (nothing is sent anywhere), remembers every submit and counts the submits in flight per
/// connection (now and at most), so a test can see how many a silo runs at once.
/// </summary>
public sealed class ScriptedGateway : IOutboundGateway
{
    private readonly ConcurrentDictionary<string, CarrierBehaviour> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<int>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Submission> _submissions = new();
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _ids;

    public void Set(string connection, CarrierBehaviour behaviour) => _behaviours[connection] = behaviour;

    public IReadOnlyList<Submission> SubmissionsTo(string connection) => _submissions.Where(s => s.Connection == connection).ToList();

    /// <summary>Submits on <paramref name="connection"/> waiting for their answer now.</summary>
    public int InFlight(string connection) => Volatile.Read(ref _inFlight.GetOrAdd(connection, _ => new StrongBox<int>()).Value);

    /// <summary>The most submits on <paramref name="connection"/> that were waiting for their answer at once.</summary>
    public int MaxInFlight(string connection) => _maxInFlight.GetValueOrDefault(connection);

    /// <summary>Lets every held submit answer (and later ones pass); <see cref="CloseGate"/> holds them again.</summary>
    public void OpenGate() => _gate.TrySetResult();

    public void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<SubmitResult> SubmitAsync(string connection, OutboundSms sms, CancellationToken cancellationToken)
    {
        var inFlight = _inFlight.GetOrAdd(connection, _ => new StrongBox<int>());
        var now = Interlocked.Increment(ref inFlight.Value);
        _maxInFlight.AddOrUpdate(connection, now, (_, max) => Math.Max(max, now));
        try
        {
            return await AnswerAsync(connection, sms, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight.Value);
        }
    }

    private async Task<SubmitResult> AnswerAsync(string connection, OutboundSms sms, CancellationToken cancellationToken)
    {
        var behaviour = _behaviours.GetValueOrDefault(connection, CarrierBehaviour.Good);
        if (behaviour.Stall)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (behaviour.Hold)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }

        var n = _counts.AddOrUpdate(connection, 1, (_, count) => count + 1);
        var latency = behaviour.Latency ?? TimeSpan.FromMilliseconds(40);
        var refused = Math.Floor(n * behaviour.ErrorRate) != Math.Floor((n - 1) * behaviour.ErrorRate);
        var result =
            behaviour.Outage ? SubmitResult.Failed(latency, "bind refused: carrier unreachable")
            : behaviour.Silent ? SubmitResult.TimedOut(TimeSpan.FromSeconds(10))
            : behaviour.Throttle ? SubmitResult.Throttled(latency)
            : refused ? SubmitResult.Failed(latency, "ESME_RSYSERR")
            : SubmitResult.Accepted(latency, behaviour.ReuseId ?? $"{connection}-{Interlocked.Increment(ref _ids)}");
        _submissions.Enqueue(new Submission(connection, sms.To, sms.Text, result.Outcome, result.CarrierMessageIds));
        if (behaviour.BeforeAnswer is { } beforeAnswer && result.Outcome == SubmitOutcome.Accepted)
        {
            await beforeAnswer(result.CarrierMessageIds[0]);
        }

        return result;
    }
}
