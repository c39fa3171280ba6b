using Pool.Contracts.Inbound;

namespace Pool.Grains.Inbound;

/// <summary>A concatenated message being reassembled: its parts so far, or what it became once released.</summary>
[GenerateSerializer, Alias("pool.ConcatenationState")]
public sealed class ConcatenationState
{
    /// <summary>The first part to arrive: carrier, sender, recipient, carrier message id and time stand for the whole message.</summary>
    [Id(0)]
    public InboundMessage? First { get; set; }

    /// <summary>Part texts in sequence order; null where a part has not arrived.</summary>
    [Id(1)]
    public string?[] Parts { get; set; } = [];

    [Id(2)]
    public DateTimeOffset FirstPartAt { get; set; }

    /// <summary>When the message entered the inbound pipeline; parts arriving after that are duplicates.</summary>
    [Id(3)]
    public DateTimeOffset? ReleasedAt { get; set; }

    [Id(4)]
    public string? MessageId { get; set; }
}
