namespace Pool.Sms.Smpp;

/// <summary>
/// The body submit_sm and deliver_sm share (§4.4.1, §4.6.1): addresses, esm_class, data_coding, the
/// short message (at most 254 octets) and optional parameters.
/// </summary>
public abstract record ShortMessagePdu : Pdu
{
    /// <summary>Up to 5 characters.</summary>
    public string ServiceType { get; init; } = "";

    public byte SourceAddrTon { get; init; }

    public byte SourceAddrNpi { get; init; }

    /// <summary>Up to 20 characters.</summary>
    public string SourceAddr { get; init; } = "";

    public byte DestAddrTon { get; init; }

    public byte DestAddrNpi { get; init; }

    /// <summary>Up to 20 characters.</summary>
    public string DestinationAddr { get; init; } = "";

    /// <summary>Message mode and type; see <see cref="EsmClass"/>.</summary>
    public byte EsmClass { get; init; }

    public byte ProtocolId { get; init; }

    public byte PriorityFlag { get; init; }

    /// <summary>Empty (immediate) or a 16-character SMPP time.</summary>
    public string ScheduleDeliveryTime { get; init; } = "";

    /// <summary>Empty (SMSC default) or a 16-character SMPP time.</summary>
    public string ValidityPeriod { get; init; } = "";

    /// <summary>Bit 0 set asks for a delivery receipt on final outcome.</summary>
    public byte RegisteredDelivery { get; init; }

    public byte ReplaceIfPresentFlag { get; init; }

    /// <summary>0x00 GSM 7-bit (one septet per octet), 0x03 Latin-1, 0x08 UCS-2, …</summary>
    public byte DataCoding { get; init; }

    public byte SmDefaultMsgId { get; init; }

    /// <summary>The body; up to 254 octets (longer text goes in message_payload).</summary>
    public byte[] ShortMessage { get; init; } = [];

    /// <summary>Optional parameters in the order they came; unknown tags are kept.</summary>
    public IReadOnlyList<Tlv> Tlvs { get; init; } = [];

    /// <summary>The first optional parameter with <paramref name="tag"/>, or null.</summary>
    public Tlv? FindTlv(ushort tag)
    {
        foreach (var tlv in Tlvs)
        {
            if (tlv.Tag == tag)
            {
                return tlv;
            }
        }

        return null;
    }
}

/// <summary>submit_sm: a message from the ESME to the SMSC.</summary>
public sealed record SubmitSm : ShortMessagePdu
{
    public override SmppCommandId CommandId => SmppCommandId.SubmitSm;

    public SubmitSmResp Response(uint status, string messageId) =>
        new() { CommandStatus = status, SequenceNumber = SequenceNumber, MessageId = messageId };
}

/// <summary>submit_sm_resp: the SMSC's id for the accepted message (empty when refused).</summary>
public sealed record SubmitSmResp : Pdu
{
    public override SmppCommandId CommandId => SmppCommandId.SubmitSmResp;

    /// <summary>Up to 64 characters.</summary>
    public string MessageId { get; init; } = "";
}

/// <summary>deliver_sm: a mobile-originated message or a delivery receipt from the SMSC.</summary>
public sealed record DeliverSm : ShortMessagePdu
{
    public override SmppCommandId CommandId => SmppCommandId.DeliverSm;

    public DeliverSmResp Response(uint status = SmppStatus.Ok) =>
        new() { CommandStatus = status, SequenceNumber = SequenceNumber };
}

/// <summary>deliver_sm_resp; its message_id is unused and sent empty.</summary>
public sealed record DeliverSmResp : Pdu
{
    public override SmppCommandId CommandId => SmppCommandId.DeliverSmResp;

    public string MessageId { get; init; } = "";
}

/// <summary>esm_class bits (§5.2.12).</summary>
public static class EsmClass
{
    /// <summary>Bits 5–2: the message type.</summary>
    public const byte MessageTypeMask = 0x3C;

    /// <summary>Message type "SMSC delivery receipt".</summary>
    public const byte DeliveryReceipt = 0x04;

    /// <summary>UDHI: the short message starts with a user data header.</summary>
    public const byte UdhIndicator = 0x40;

    public static bool IsDeliveryReceipt(byte esmClass) => (esmClass & MessageTypeMask) == DeliveryReceipt;

    public static bool HasUdh(byte esmClass) => (esmClass & UdhIndicator) != 0;
}
