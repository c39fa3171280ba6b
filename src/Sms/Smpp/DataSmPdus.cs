namespace Pool.Sms.Smpp;

/// <summary>
/// data_sm (SMPP 3.4 §4.7.1): a message either way between ESME and SMSC, an alternative to submit_sm
/// and deliver_sm. It has no short_message: the body travels in the message_payload TLV. Addresses
/// are C-Octet strings of up to 64 characters (65 octets with the NUL).
/// </summary>
public sealed record DataSm : Pdu, IMessagePdu
{
    public override SmppCommandId CommandId => SmppCommandId.DataSm;

    /// <summary>Up to 5 characters.</summary>
    public string ServiceType { get; init; } = "";

    public byte SourceAddrTon { get; init; }

    public byte SourceAddrNpi { get; init; }

    /// <summary>Up to 64 characters.</summary>
    public string SourceAddr { get; init; } = "";

    public byte DestAddrTon { get; init; }

    public byte DestAddrNpi { get; init; }

    /// <summary>Up to 64 characters.</summary>
    public string DestinationAddr { get; init; } = "";

    /// <summary>Message mode and type; see <see cref="Smpp.EsmClass"/>.</summary>
    public byte EsmClass { get; init; }

    public byte RegisteredDelivery { get; init; }

    public byte DataCoding { get; init; }

    /// <summary>Optional parameters in the order they came; message_payload carries the body.</summary>
    public IReadOnlyList<Tlv> Tlvs { get; init; } = [];

    /// <summary>The message_payload TLV's value, or empty.</summary>
    public byte[] UserData => FindTlv(TlvTag.MessagePayload)?.Value ?? [];

    public Tlv? FindTlv(ushort tag) => Tlv.Find(Tlvs, tag);

    public DataSmResp Response(uint status = SmppStatus.Ok, string messageId = "") =>
        new() { CommandStatus = status, SequenceNumber = SequenceNumber, MessageId = messageId };
}

/// <summary>data_sm_resp (§4.7.2): the message id (up to 64 characters) and optional parameters.</summary>
public sealed record DataSmResp : Pdu
{
    public override SmppCommandId CommandId => SmppCommandId.DataSmResp;

    /// <summary>Up to 64 characters; empty when the request was refused.</summary>
    public string MessageId { get; init; } = "";

    /// <summary>delivery_failure_reason, network_error_code, additional_status_info_text, dpf_result.</summary>
    public IReadOnlyList<Tlv> Tlvs { get; init; } = [];
}
