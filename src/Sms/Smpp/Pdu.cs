namespace Pool.Sms.Smpp;

/// <summary>
/// An SMPP 3.4 protocol data unit: the 16-octet header's command id, status and sequence number, and
/// the body its subclass describes. Encode with <see cref="SmppCodec.Encode"/>, decode with
/// <see cref="SmppCodec.Decode"/>.
/// </summary>
public abstract record Pdu
{
    /// <summary>What this PDU is; fixed by its type.</summary>
    public abstract SmppCommandId CommandId { get; }

    /// <summary>ESME_ROK in requests; the outcome in responses (see <see cref="SmppStatus"/>).</summary>
    public uint CommandStatus { get; init; }

    /// <summary>Pairs a response with its request; 1 to 0x7FFFFFFF.</summary>
    public uint SequenceNumber { get; init; }

    /// <summary>The specification's name of the command ("submit_sm").</summary>
    public string Name => SmppCommandIds.Name((uint)CommandId);
}

/// <summary>enquire_link: a keep-alive probe either side may send.</summary>
public sealed record EnquireLink : Pdu
{
    public override SmppCommandId CommandId => SmppCommandId.EnquireLink;

    public EnquireLinkResp Response() => new() { SequenceNumber = SequenceNumber };
}

/// <summary>enquire_link_resp.</summary>
public sealed record EnquireLinkResp : Pdu
{
    public override SmppCommandId CommandId => SmppCommandId.EnquireLinkResp;
}

/// <summary>unbind: ends a session; the peer answers and closes.</summary>
public sealed record Unbind : Pdu
{
    public override SmppCommandId CommandId => SmppCommandId.Unbind;

    public UnbindResp Response() => new() { SequenceNumber = SequenceNumber };
}

/// <summary>unbind_resp.</summary>
public sealed record UnbindResp : Pdu
{
    public override SmppCommandId CommandId => SmppCommandId.UnbindResp;
}

/// <summary>generic_nack: the answer to a PDU that could not be read or whose command is unknown.</summary>
public sealed record GenericNack : Pdu
{
    public override SmppCommandId CommandId => SmppCommandId.GenericNack;
}
