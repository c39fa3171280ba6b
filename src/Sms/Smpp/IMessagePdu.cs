namespace Pool.Sms.Smpp;

/// <summary>
/// What deliver_sm, submit_sm (§4.4.1, §4.6.1) and data_sm (§4.7.1) have in common: addressing,
/// esm_class, registered_delivery, data_coding, the user data and the optional parameters. The content
/// decoder (<see cref="ShortMessageContent"/>) and the receipt parser (<see cref="DeliveryReceipts"/>)
/// read any of them through this view.
/// </summary>
public interface IMessagePdu
{
    /// <summary>The specification's name of the command ("deliver_sm", "data_sm").</summary>
    string Name { get; }

    string ServiceType { get; }

    byte SourceAddrTon { get; }

    byte SourceAddrNpi { get; }

    string SourceAddr { get; }

    byte DestAddrTon { get; }

    byte DestAddrNpi { get; }

    string DestinationAddr { get; }

    /// <summary>Message mode and type (§5.2.12); see <see cref="EsmClass"/>.</summary>
    byte EsmClass { get; }

    byte RegisteredDelivery { get; }

    /// <summary>The data coding scheme (§5.2.19); see <see cref="Pool.Sms.Encoding.DataCodingScheme"/>.</summary>
    byte DataCoding { get; }

    /// <summary>
    /// The message body as sent, UDH included: short_message, or the message_payload TLV when
    /// short_message is empty (data_sm has only message_payload). Empty when there is neither.
    /// </summary>
    byte[] UserData { get; }

    /// <summary>Optional parameters in the order they came.</summary>
    IReadOnlyList<Tlv> Tlvs { get; }

    /// <summary>The first optional parameter with <paramref name="tag"/>, or null.</summary>
    Tlv? FindTlv(ushort tag);
}
