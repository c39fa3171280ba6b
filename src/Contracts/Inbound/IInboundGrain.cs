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

    /// <summary>
    /// What Pool could not do with the message, from <see cref="InboundFlags"/> (e.g. <c>binary</c>,
    /// <c>undecodable</c>, <c>unroutable</c>). A flagged message is stored and shown to operators like any
    /// other; codes are extracted only from text, and an <c>unroutable</c> one reaches no lease.
    /// </summary>
    [Id(7)]
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>The PDU fields the message came in, kept with it (null for an HTTP carrier's plain text).</summary>
    [Id(8)]
    public InboundRaw? Raw { get; init; }

    /// <summary>
    /// When set, <see cref="CarrierMessageId"/> is not the carrier's id but a digest of the content
    /// (SMPP gives MO messages none): the same digest counts as the same message only if it arrived
    /// within this window before (a sliding window, not fixed buckets).
    /// </summary>
    [Id(9)]
    public TimeSpan? DuplicateWindow { get; init; }

    /// <summary>Whether <paramref name="flag"/> is among <see cref="Flags"/>.</summary>
    public bool Has(string flag) => Flags.Contains(flag, StringComparer.Ordinal);
}

/// <summary>The flags an inbound message can carry (stored as they are spelt here).</summary>
public static class InboundFlags
{
    /// <summary>8-bit data (data_coding octet/binary): stored raw, the text shows it as hex, no code is extracted.</summary>
    public const string Binary = "binary";

    /// <summary>Compressed user data (TS 23.038 §4, TS 23.042): stored raw, not decompressed.</summary>
    public const string Compressed = "compressed";

    /// <summary>A data_coding value the specifications reserve: stored raw.</summary>
    public const string ReservedCoding = "reserved_coding";

    /// <summary>The body could not be decoded (a malformed user data header, an unsupported character set): stored raw.</summary>
    public const string Undecodable = "undecodable";

    /// <summary>The recipient is not (or cannot be read as) one of Pool's numbers: stored, reaches no lease.</summary>
    public const string Unroutable = "unroutable";

    /// <summary>A message-waiting indication (TS 23.038 §4 groups 1100–1110), not a text for a person.</summary>
    public const string MessageWaiting = "message_waiting";

    /// <summary>
    /// True when a message with these flags has text a code can be extracted from. A reserved coding is
    /// read as GSM 7-bit, as TS 23.038 §4 tells a receiver to, so its text counts.
    /// </summary>
    public static bool IsText(IReadOnlyList<string> flags) =>
        !flags.Any(f => f is Binary or Compressed or Undecodable);
}

/// <summary>
/// The SMPP fields an inbound message arrived in (deliver_sm or data_sm, SMPP 3.4 §4.6.1 / §4.7.1), kept
/// so that whatever Pool could not decode or route stays inspectable: the user data as sent (UDH
/// included), the TLVs as encoded on the wire, the addressing and the reason decoding failed.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.InboundRaw")]
public sealed record InboundRaw(
    [property: Id(0)] string Command,
    [property: Id(1)] byte DataCoding,
    [property: Id(2)] byte EsmClass,
    [property: Id(3)] byte[] UserData,
    [property: Id(4)] byte[] Tlvs,
    [property: Id(5)] byte SourceTon,
    [property: Id(6)] byte SourceNpi,
    [property: Id(7)] byte DestinationTon,
    [property: Id(8)] byte DestinationNpi,
    [property: Id(9)] string DestinationAddress,
    [property: Id(10)] string? Problem);

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

    /// <summary>
    /// The W3C traceparent of the span that routed the message, while the silo that routed it remembers it and
    /// tracing is on (never stored, never sent to clients): a stream writing the message continues that trace.
    /// </summary>
    [Id(10)]
    public string? TraceParent { get; init; }
}

/// <summary>
/// The inbound pipeline (a stateless worker: every message is independent). It asks the message's number
/// for its live lease, stores the message attached to it, and routes it to the lease and its tenant;
/// the carrier is answered only after the message is stored, so nothing accepted is lost.
/// </summary>
[Alias("pool.IInboundGrain")]
public interface IInboundGrain : IGrainWithIntegerKey
{
    [Alias("Accept")]
    Task<InboundResult> AcceptAsync(InboundMessage message);

    /// <summary>
    /// Routes a stored message whose routing never finished (its silo died between storing and routing, or a
    /// step failed): to the lease it was stored attached to, or from its number when it was stored unattached.
    /// </summary>
    [Alias("RouteStored")]
    Task RouteStoredAsync(string messageId);

    /// <summary>The messages of a lease, oldest first (the caller has checked the tenant owns the lease).</summary>
    [Alias("ListForLease")]
    Task<IReadOnlyList<StoredMessage>> ListForLeaseAsync(string leaseId);
}
