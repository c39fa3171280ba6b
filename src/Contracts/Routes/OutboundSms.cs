namespace Pool.Contracts.Routes;

/// <summary>
/// A message to send to an end user. <see cref="Reference"/> names its owner (e.g.
/// "verification:ve_…") so the delivery receipt finds its way back.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.OutboundSms")]
public sealed record OutboundSms(
    [property: Id(0)] string To,
    [property: Id(1)] string Text,
    [property: Id(2)] string Reference);

/// <summary>One try of a message on one route.</summary>
[GenerateSerializer, Immutable, Alias("pool.RouteAttempt")]
public sealed record RouteAttempt(
    [property: Id(0)] string RouteId,
    [property: Id(1)] SubmitOutcome Outcome,
    [property: Id(2)] string? Error,
    [property: Id(3)] TimeSpan Latency);

/// <summary>A message a carrier accepted: where it went, its carrier ids (one per part) and how it got there.</summary>
[GenerateSerializer, Immutable, Alias("pool.OutboundSent")]
public sealed record OutboundSent(
    [property: Id(0)] string RouteId,
    [property: Id(1)] string Connection,
    [property: Id(2)] IReadOnlyList<string> CarrierMessageIds,
    [property: Id(3)] RouteDecision Decision,
    [property: Id(4)] IReadOnlyList<RouteAttempt> Attempts);

/// <summary>A carrier's delivery receipt for one submitted message (part), as the carrier connection read it.</summary>
[GenerateSerializer, Immutable, Alias("pool.DeliveryReceipt")]
public sealed record DeliveryReceipt(
    [property: Id(0)] string Connection,
    [property: Id(1)] string CarrierMessageId,
    [property: Id(2)] bool Delivered,
    [property: Id(3)] string? Error);
