using Pool.Contracts.Inbound;

namespace Pool.Grains.Inbound;

/// <summary>
/// A concatenated message being reassembled (the open set: its parts so far), and the messages this
/// key released lately with a digest of each of their parts, so a part sent again is recognised by its
/// content and a new message reusing the reference is not.
/// </summary>
[GenerateSerializer, Alias("pool.ConcatenationState")]
public sealed class ConcatenationState
{
    /// <summary>The first part of the open set to arrive (null: none open): carrier, sender, recipient, carrier message id and time stand for the whole message.</summary>
    [Id(0)]
    public InboundMessage? First { get; set; }

    /// <summary>Part texts of the open set in sequence order; null where a part has not arrived.</summary>
    [Id(1)]
    public string?[] Parts { get; set; } = [];

    [Id(2)]
    public DateTimeOffset FirstPartAt { get; set; }

    /// <summary>Written by versions that kept a released message's first part instead of part digests; read only to discard that form.</summary>
    [Id(3)]
    public DateTimeOffset? ReleasedAt { get; set; }

    /// <summary>Written by versions that kept a released message's first part instead of part digests; no longer used.</summary>
    [Id(4)]
    public string? MessageId { get; set; }

    /// <summary>Per part of the open set (sequence order): its content digest, flags and raw PDU fields; null where a part has not arrived.</summary>
    [Id(5)]
    public ConcatenationPart?[] Details { get; set; } = [];

    /// <summary>Messages released lately (oldest first), kept for ten timeouts.</summary>
    [Id(6)]
    public List<ReleasedConcatenation> Released { get; set; } = [];

    /// <summary>
    /// Parts that repeated a released message's part while no message was open, kept for one timeout:
    /// most likely sent again, but a new message can begin with the same words (a code template's first
    /// part), so a message opened meanwhile takes them into its empty places.
    /// </summary>
    [Id(7)]
    public List<HeldPart> Held { get; set; } = [];
}

/// <summary>A part held in case a new message reusing the reference starts with it.</summary>
[GenerateSerializer, Immutable, Alias("pool.HeldConcatenationPart")]
public sealed record HeldPart(
    [property: Id(0)] int Sequence,
    [property: Id(1)] string Text,
    [property: Id(2)] ConcatenationPart Detail,
    [property: Id(3)] DateTimeOffset HeldAt);

/// <summary>What is kept of one part besides its text.</summary>
[GenerateSerializer, Immutable, Alias("pool.ConcatenationPart")]
public sealed record ConcatenationPart(
    [property: Id(0)] string Digest,
    [property: Id(1)] IReadOnlyList<string> Flags,
    [property: Id(2)] InboundRaw? Raw);

/// <summary>A released message: its id and the digest of each part it had (null for a part that never arrived).</summary>
[GenerateSerializer, Immutable, Alias("pool.ReleasedConcatenation")]
public sealed record ReleasedConcatenation(
    [property: Id(0)] string MessageId,
    [property: Id(1)] DateTimeOffset ReleasedAt,
    [property: Id(2)] IReadOnlyList<string?> Digests);
