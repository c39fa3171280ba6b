using Pool.Contracts.Routes;

namespace Pool.Contracts.Inbound;

/// <summary>An inbound message Pool stored but could not fully decode or route, as operators see it.</summary>
[GenerateSerializer, Immutable, Alias("pool.FlaggedInbound")]
public sealed record FlaggedInbound(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string Carrier,
    [property: Id(2)] string SenderMasked,
    [property: Id(3)] string NumberMasked,
    [property: Id(4)] string? Text,
    [property: Id(5)] DateTimeOffset ReceivedAt,
    [property: Id(6)] IReadOnlyList<string> Flags,
    [property: Id(7)] bool Routed,
    [property: Id(8)] string? LeaseId,
    [property: Id(9)] InboundRaw? Raw);

/// <summary>A stored status report, with what it was applied to (null: pending, no submit with its id known).</summary>
[GenerateSerializer, Immutable, Alias("pool.StoredStatusReport")]
public sealed record StoredStatusReport(
    [property: Id(0)] long ReportId,
    [property: Id(1)] StatusReport Report,
    [property: Id(2)] long? OutboundId,
    [property: Id(3)] DateTimeOffset? AppliedAt);

/// <summary>
/// What carriers sent that operators must look at (a stateless worker: key 0): inbound messages stored
/// flagged (undecodable, binary, unroutable, …) or never routed, and status reports still pending.
/// </summary>
[Alias("pool.ICarrierIntakeDirectoryGrain")]
public interface ICarrierIntakeDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Flagged or unrouted inbound messages, newest first; only those with <paramref name="flag"/> when given; received before <paramref name="before"/> when given (paging). <paramref name="limit"/> 1–500.</summary>
    [Alias("ListFlagged")]
    Task<IReadOnlyList<FlaggedInbound>> ListFlaggedAsync(string? flag, int limit, DateTimeOffset? before);

    /// <summary>Stored status reports, newest first: only pending ones when <paramref name="pendingOnly"/>, only of <paramref name="connection"/> when given. <paramref name="limit"/> 1–500.</summary>
    [Alias("ListReports")]
    Task<IReadOnlyList<StoredStatusReport>> ListReportsAsync(string? connection, bool pendingOnly, int limit);
}
