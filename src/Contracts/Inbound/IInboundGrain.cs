namespace Pool.Contracts.Inbound;

/// <summary>An SMS as a carrier handed it over, already authenticated and decoded to text.</summary>
[GenerateSerializer, Immutable, Alias("pool.InboundMessage")]
public sealed record InboundMessage(
    [property: Id(0)] string Carrier,
    [property: Id(1)] string CarrierMessageId,
    [property: Id(2)] string Sender,
    [property: Id(3)] string Number,
    [property: Id(4)] string Text,
    [property: Id(5)] DateTimeOffset ReceivedAt)
{
    /// <summary>Reassembled from concatenated parts of which some never arrived (each stands as "[…]" in the text).</summary>
    [Id(6)]
    public bool Incomplete { get; init; }
}

/// <summary>One part of a concatenated SMS (UDH or SAR numbering), as a carrier handed it over.</summary>
[GenerateSerializer, Immutable, Alias("pool.InboundPart")]
public sealed record InboundPart(
    [property: Id(0)] InboundMessage Message,
    [property: Id(1)] int Reference,
    [property: Id(2)] int Total,
    [property: Id(3)] int Sequence);

/// <summary>What happened to an inbound message.</summary>
[GenerateSerializer, Alias("pool.InboundOutcome")]
public enum InboundOutcome
{
    /// <summary>Stored and attached to the live lease of its number.</summary>
    Delivered = 0,

    /// <summary>Stored; its number has no live lease, so no tenant sees it.</summary>
    Unsolicited = 1,

    /// <summary>Already received (same carrier message id, or the same part again): nothing changed.</summary>
    Duplicate = 2,

    /// <summary>A part of a concatenated message, kept until the other parts arrive or the wait times out.</summary>
    PartAccepted = 3,
}

[GenerateSerializer, Immutable, Alias("pool.InboundResult")]
public sealed record InboundResult([property: Id(0)] string MessageId, [property: Id(1)] InboundOutcome Outcome);

/// <summary>A message stored for a lease, as its tenant sees it.</summary>
[GenerateSerializer, Immutable, Alias("pool.StoredMessage")]
public sealed record StoredMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string SenderMasked,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTimeOffset ReceivedAt,
    [property: Id(4)] string? Code,
    [property: Id(5)] string? Service)
{
    /// <summary>The text is gone: the pool's retention period passed (the metadata stays).</summary>
    [Id(6)]
    public bool TextPurged { get; init; }

    /// <summary>Reassembled from parts of which some never arrived.</summary>
    [Id(7)]
    public bool Incomplete { get; init; }

    /// <summary>The lease the message was delivered to.</summary>
    [Id(8)]
    public string? LeaseId { get; init; }

    /// <summary>The message's place in its tenant's order (0 when not delivered to a tenant); streams resume after it.</summary>
    [Id(9)]
    public long Cursor { get; init; }
}

/// <summary>
/// The inbound pipeline (a stateless worker: every message is independent). It stores the message
/// first, so nothing accepted is lost, then lets the number grain route it to its live lease.
/// </summary>
[Alias("pool.IInboundGrain")]
public interface IInboundGrain : IGrainWithIntegerKey
{
    [Alias("Accept")]
    Task<InboundResult> AcceptAsync(InboundMessage message);

    /// <summary>Routes a stored message whose routing never finished (its silo died between storing and routing).</summary>
    [Alias("RouteStored")]
    Task RouteStoredAsync(string messageId);

    /// <summary>The messages of a lease, oldest first (the caller has checked the tenant owns the lease).</summary>
    [Alias("ListForLease")]
    Task<IReadOnlyList<StoredMessage>> ListForLeaseAsync(string leaseId);
}
