using System.Collections.Concurrent;
using Pool.Contracts.Routes;
using Pool.Grains.Routes;

namespace Pool.Grains.Tests.Routes;

/// <summary>How the carrier behind one connection answers, set by a test.</summary>
/// <param name="ErrorRate">Share of submits refused, spread evenly (0.6: the 2nd, 4th, 5th, 7th, 9th, 10th… of every ten).</param>
public sealed record CarrierBehaviour(double ErrorRate = 0, bool Outage = false, bool Throttle = false, bool Silent = false, TimeSpan? Latency = null)
{
    public static CarrierBehaviour Good { get; } = new();
}

/// <summary>One submit as the carrier saw it.</summary>
public sealed record Submission(string Connection, string To, string Text, SubmitOutcome Outcome, IReadOnlyList<string> CarrierMessageIds);

/// <summary>
/// A test double for the carriers: answers each connection's submits as its <see cref="CarrierBehaviour"/>
/// says (nothing is sent anywhere) and remembers every submit.
/// </summary>
public sealed class ScriptedGateway : IOutboundGateway
{
    private readonly ConcurrentDictionary<string, CarrierBehaviour> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Submission> _submissions = new();
    private int _ids;

    public void Set(string connection, CarrierBehaviour behaviour) => _behaviours[connection] = behaviour;

    public IReadOnlyList<Submission> SubmissionsTo(string connection) => _submissions.Where(s => s.Connection == connection).ToList();

    public Task<SubmitResult> SubmitAsync(string connection, OutboundSms sms, CancellationToken cancellationToken)
    {
        var behaviour = _behaviours.GetValueOrDefault(connection, CarrierBehaviour.Good);
        var n = _counts.AddOrUpdate(connection, 1, (_, count) => count + 1);
        var latency = behaviour.Latency ?? TimeSpan.FromMilliseconds(40);
        var refused = Math.Floor(n * behaviour.ErrorRate) != Math.Floor((n - 1) * behaviour.ErrorRate);
        var result =
            behaviour.Outage ? SubmitResult.Failed(latency, "bind refused: carrier unreachable")
            : behaviour.Silent ? SubmitResult.TimedOut(TimeSpan.FromSeconds(10))
            : behaviour.Throttle ? SubmitResult.Throttled(latency)
            : refused ? SubmitResult.Failed(latency, "ESME_RSYSERR")
            : SubmitResult.Accepted(latency, $"{connection}-{Interlocked.Increment(ref _ids)}");
        _submissions.Enqueue(new Submission(connection, sms.To, sms.Text, result.Outcome, result.CarrierMessageIds));
        return Task.FromResult(result);
    }
}
