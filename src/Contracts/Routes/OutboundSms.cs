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

/// <summary>What a status report says of its message.</summary>
[GenerateSerializer, Alias("pool.StatusReportKind")]
public enum StatusReportKind
{
    /// <summary>An SMSC delivery receipt (SMPP 3.4 §5.2.12 esm_class message type 0x04, or an HTTP carrier's receipt): final unless its state says otherwise.</summary>
    DeliveryReceipt = 0,

    /// <summary>An intermediate delivery notification (esm_class type 0x20): the message is on its way; never final.</summary>
    IntermediateNotification = 1,

    /// <summary>An SME delivery acknowledgement (0x08) or manual/user acknowledgement (0x10) from the recipient's handset or application.</summary>
    SmeAcknowledgement = 2,

    /// <summary>A conversation abort (0x18, SMPP 3.4 §5.2.12): the SMSC ended an interactive session; never final.</summary>
    ConversationAbort = 3,
}

/// <summary>
/// A carrier's status report on one submitted message part (an SMPP delivery receipt, intermediate
/// notification or SME acknowledgement, or an HTTP carrier's receipt), as the carrier connection read
/// it. <see cref="State"/> is the SMPP message_state word (DELIVRD, ENROUTE, UNDELIV, …; §5.2.28);
/// <see cref="Final"/> says whether the message's fate is settled (only a final report changes a
/// verification's delivery status or a route's health). No message text is carried: the receipt
/// text's <c>text:</c> field quotes the start of the message, which may hold the code.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.StatusReport")]
public sealed record StatusReport(
    [property: Id(0)] string Connection,
    [property: Id(1)] string CarrierMessageId,
    [property: Id(2)] StatusReportKind Kind,
    [property: Id(3)] string State,
    [property: Id(4)] bool Final,
    [property: Id(5)] bool Delivered,
    [property: Id(6)] string? Error,
    [property: Id(7)] DateTimeOffset ReceivedAt);

/// <summary>What became of a status report.</summary>
[GenerateSerializer, Alias("pool.StatusReportOutcome")]
public enum StatusReportOutcome
{
    /// <summary>Stored and applied to the submitted message it names.</summary>
    Recorded = 0,

    /// <summary>Stored; no submitted message with that id is known yet (the report overtook its submit_sm_resp, or the id is not Pool's). It is applied when the submit is recorded.</summary>
    Pending = 1,

    /// <summary>The same report was stored before: nothing changed.</summary>
    Duplicate = 2,
}
