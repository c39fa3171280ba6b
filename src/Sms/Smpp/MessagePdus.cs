namespace Pool.Sms.Smpp;

/// <summary>
/// The body submit_sm and deliver_sm share (§4.4.1, §4.6.1): addresses, esm_class, data_coding, the
/// short message (at most 254 octets) and optional parameters.
/// </summary>
public abstract record ShortMessagePdu : Pdu, IMessagePdu
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

    /// <summary>short_message, or the message_payload TLV's value when short_message is empty (§5.3.2.32).</summary>
    public byte[] UserData => ShortMessage.Length == 0 && FindTlv(TlvTag.MessagePayload) is { } payload ? payload.Value : ShortMessage;

    /// <summary>The first optional parameter with <paramref name="tag"/>, or null.</summary>
    public Tlv? FindTlv(ushort tag) => Tlv.Find(Tlvs, tag);
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

/// <summary>
/// The message type of an esm_class (SMPP 3.4 §5.2.12, bits 5–2). Each value is the type's bit pattern
/// within the octet; <see cref="Unknown"/> stands for the patterns the specification reserves.
/// </summary>
public enum MessageType : byte
{
    /// <summary>xx0000xx: a short message (in deliver_sm, mobile-originated).</summary>
    Default = 0x00,

    /// <summary>xx0001xx: an SMSC delivery receipt.</summary>
    DeliveryReceipt = 0x04,

    /// <summary>xx0010xx: an SME delivery acknowledgement.</summary>
    SmeDeliveryAcknowledgement = 0x08,

    /// <summary>xx0100xx: an SME manual/user acknowledgement.</summary>
    SmeManualAcknowledgement = 0x10,

    /// <summary>xx0110xx: a conversation abort (Korean CDMA).</summary>
    ConversationAbort = 0x18,

    /// <summary>xx1000xx: an intermediate delivery notification.</summary>
    IntermediateDeliveryNotification = 0x20,

    /// <summary>A reserved pattern (xx0011xx, xx0101xx, xx0111xx, xx1001xx–xx1111xx).</summary>
    Unknown = 0xFF,
}

/// <summary>esm_class bits (§5.2.12).</summary>
public static class EsmClass
{
    /// <summary>Bits 5–2: the message type.</summary>
    public const byte MessageTypeMask = 0x3C;

    /// <summary>Message type "SMSC delivery receipt".</summary>
    public const byte DeliveryReceipt = 0x04;

    /// <summary>Message type "SME delivery acknowledgement".</summary>
    public const byte SmeDeliveryAcknowledgement = 0x08;

    /// <summary>Message type "SME manual/user acknowledgement".</summary>
    public const byte SmeManualAcknowledgement = 0x10;

    /// <summary>Message type "conversation abort".</summary>
    public const byte ConversationAbort = 0x18;

    /// <summary>Message type "intermediate delivery notification".</summary>
    public const byte IntermediateDeliveryNotification = 0x20;

    /// <summary>UDHI: the short message starts with a user data header.</summary>
    public const byte UdhIndicator = 0x40;

    /// <summary>The message type in bits 5–2 of <paramref name="esmClass"/>; a reserved pattern is <see cref="MessageType.Unknown"/>.</summary>
    public static MessageType TypeOf(byte esmClass) => (esmClass & MessageTypeMask) switch
    {
        0x00 => MessageType.Default,
        DeliveryReceipt => MessageType.DeliveryReceipt,
        SmeDeliveryAcknowledgement => MessageType.SmeDeliveryAcknowledgement,
        SmeManualAcknowledgement => MessageType.SmeManualAcknowledgement,
        ConversationAbort => MessageType.ConversationAbort,
        IntermediateDeliveryNotification => MessageType.IntermediateDeliveryNotification,
        _ => MessageType.Unknown,
    };

    /// <summary>
    /// Whether <paramref name="type"/> reports on an earlier message (receipt, acknowledgement,
    /// conversation abort, intermediate notification) rather than carrying one: every type but
    /// <see cref="MessageType.Default"/> and <see cref="MessageType.Unknown"/>.
    /// </summary>
    public static bool IsStatusReport(MessageType type) => type is not (MessageType.Default or MessageType.Unknown);

    /// <summary>Whether the message type of <paramref name="esmClass"/> is a status report (see <see cref="IsStatusReport(MessageType)"/>).</summary>
    public static bool IsStatusReport(byte esmClass) => IsStatusReport(TypeOf(esmClass));

    /// <summary>Whether the message type is exactly "SMSC delivery receipt" (0x04).</summary>

    public static bool HasUdh(byte esmClass) => (esmClass & UdhIndicator) != 0;
}
