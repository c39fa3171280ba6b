namespace Pool.Contracts.Routes;

/// <summary>
/// The way out to carriers: a silo service (one per silo, registered in DI) that submits a message on
/// a named carrier connection (an SMPP bind, an HTTP carrier, the simulator). Route selection calls it;
/// it must be thread-safe and honour <paramref name="cancellationToken"/> (the submit timeout).
/// Status reports come back through <see cref="IOutboundReceiptGrain.RecordAsync"/> with the same
/// connection name and carrier message id the submit returned. The carrier side implements it; grains use it.
/// </summary>
public interface IOutboundGateway
{
    Task<SubmitResult> SubmitAsync(string connection, OutboundSms sms, CancellationToken cancellationToken);
}

/// <summary>
/// A carrier's answer to one submit: accepted with its message ids (one per part of a long message),
/// throttled, failed (with the carrier's error) or timed out, and how long the carrier took.
/// </summary>
public sealed record SubmitResult(SubmitOutcome Outcome, IReadOnlyList<string> CarrierMessageIds, TimeSpan Latency, string? Error = null)
{
    public static SubmitResult Accepted(TimeSpan latency, params string[] carrierMessageIds) => new(SubmitOutcome.Accepted, carrierMessageIds, latency);

    public static SubmitResult Throttled(TimeSpan latency, string? error = null) => new(SubmitOutcome.Throttled, [], latency, error ?? "throttled");

    public static SubmitResult Failed(TimeSpan latency, string error) => new(SubmitOutcome.Error, [], latency, error);

    public static SubmitResult TimedOut(TimeSpan latency) => new(SubmitOutcome.Timeout, [], latency, "no answer in time");
}
