using Pool.Sms.Encoding;
using Pool.Sms.Numbers;
using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp;

public sealed class ShortMessageContentTests
{
    private const string From = "85251234567";
    private const string To = "447911123456";

    [Fact]
    public void Gsm7_one_septet_per_octet_decodes_with_extension_characters()
    {
        var message = Decode(new DeliverSm { SourceAddrTon = 1, SourceAddrNpi = 1, SourceAddr = From, DestAddrTon = 1, DestAddrNpi = 1, DestinationAddr = To, DataCoding = 0x00, ShortMessage = Gsm7.Encode("Code: 4829 €5 {ok} @home") });

        Assert.Equal("Code: 4829 €5 {ok} @home", message.Text);
        Assert.Equal(new SmppAddress(1, 1, From), message.Sender);
        Assert.Equal(new SmppAddress(1, 1, To), message.Recipient);
        Assert.Equal("deliver_sm", message.Command);
        Assert.Equal(MessageType.Default, message.MessageType);
        Assert.Empty(message.Flags);
        Assert.Null(message.Problem);
        Assert.Null(message.Concatenation);
    }

    [Fact]
    public void Ucs2_chinese_decodes()
    {
        var message = Decode(new DeliverSm { DataCoding = 0x08, ShortMessage = Ucs2.Encode("您的验证码是 482913，5分钟内有效") });

        Assert.Equal("您的验证码是 482913，5分钟内有效", message.Text);
        Assert.Equal(Charset.Ucs2, message.Scheme.Charset);
    }

    [Fact]
    public void Latin1_decodes()
    {
        var message = Decode(new DeliverSm { DataCoding = 0x03, ShortMessage = System.Text.Encoding.Latin1.GetBytes("Código: 1234 ñ") });

        Assert.Equal("Código: 1234 ñ", message.Text);
    }

    [Fact]
    public void A_udh_part_gives_its_concatenation_info_and_the_text_after_the_header()
    {
        byte[] body = [0x05, 0x00, 0x03, 0x2A, 0x03, 0x02, .. Ucs2.Encode("第二部分")];

        var message = Decode(new DeliverSm { EsmClass = EsmClass.UdhIndicator, DataCoding = 0x08, ShortMessage = body });

        Assert.Equal("第二部分", message.Text);
        Assert.Equal(new ConcatenationInfo(0x2A, 3, 2), message.Concatenation);
        Assert.Equal(body, message.UserData);
        Assert.Equal([new InformationElement(0x00, [0x2A, 0x03, 0x02])], message.Header!.Elements);
    }

    [Fact]
    public void Sar_tlvs_give_the_concatenation_info()
    {
        var message = Decode(new DeliverSm
        {
            DataCoding = 0x00,
            ShortMessage = Gsm7.Encode("part one "),
            Tlvs = [Tlv.FromUInt16(TlvTag.SarMsgRefNum, 0x0102), Tlv.FromByte(TlvTag.SarTotalSegments, 2), Tlv.FromByte(TlvTag.SarSegmentSeqnum, 1)],
        });

        Assert.Equal(new ConcatenationInfo(0x0102, 2, 1), message.Concatenation);
        Assert.Equal("part one ", message.Text);
        Assert.Equal(Convert.FromHexString("020C00020102" + "020E000102" + "020F000101"), message.EncodedTlvs);
    }

    [Fact]
    public void Parts_decoded_from_udh_join_into_the_message_in_sequence_order()
    {
        var split = MessageSplitter.Split(new string('7', 150) + " is your code, valid for ten minutes.", 9);
        var texts = new string?[split.Parts.Count];
        foreach (var part in split.Parts.Reverse())
        {
            var message = Decode(new DeliverSm { SourceAddr = From, DestinationAddr = To, EsmClass = EsmClass.UdhIndicator, DataCoding = split.DataCoding, ShortMessage = part.ShortMessage });
            Assert.Equal((9, split.Parts.Count), (message.Concatenation!.Reference, message.Concatenation.Total));
            texts[message.Concatenation.Sequence - 1] = message.Text;
        }

        var (text, missing) = Concatenation.Join(texts);
        Assert.Empty(missing);
        Assert.Equal(new string('7', 150) + " is your code, valid for ten minutes.", text);
    }

    [Fact]
    public void Message_payload_is_read_when_short_message_is_empty()
    {
        var text = new string('长', 200);

        var message = Decode(new DeliverSm { DataCoding = 0x08, Tlvs = [new Tlv(TlvTag.MessagePayload, Ucs2.Encode(text))] });

        Assert.Equal(text, message.Text);
        Assert.Equal(Ucs2.Encode(text), message.UserData);
    }

    [Fact]
    public void Eight_bit_data_is_kept_raw_and_flagged_binary_instead_of_refused()
    {
        var message = Decode(new DeliverSm { DataCoding = 0x04, ShortMessage = [1, 2] });

        Assert.Null(message.Text);
        Assert.Equal([BodyFlags.Binary], message.Flags);
        Assert.Equal([1, 2], message.UserData);
    }

    [Fact]
    public void Half_a_set_of_sar_tlvs_leaves_the_message_whole_and_is_noted()
    {
        var message = Decode(new DeliverSm { ShortMessage = Gsm7.Encode("whole"), Tlvs = [Tlv.FromUInt16(TlvTag.SarMsgRefNum, 1), Tlv.FromByte(TlvTag.SarSegmentSeqnum, 1)] });

        Assert.Equal("whole", message.Text);
        Assert.Null(message.Concatenation);
        Assert.Empty(message.Flags);
        Assert.Contains("SAR TLVs are incomplete", message.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_udh_concatenation_element_wins_over_sar_tlvs()
    {
        byte[] body = [0x05, 0x00, 0x03, 0x07, 0x02, 0x01, .. Gsm7.Encode("udh")];

        var message = Decode(new DeliverSm
        {
            EsmClass = EsmClass.UdhIndicator,
            ShortMessage = body,
            Tlvs = [Tlv.FromUInt16(TlvTag.SarMsgRefNum, 0x0999), Tlv.FromByte(TlvTag.SarTotalSegments, 5), Tlv.FromByte(TlvTag.SarSegmentSeqnum, 4)],
        });

        Assert.Equal(new ConcatenationInfo(0x07, 2, 1), message.Concatenation);
        Assert.Equal("udh", message.Text);
    }

    [Fact]
    public void The_flag_spellings_are_the_inbound_message_flags()
    {
        Assert.Equal(Pool.Contracts.Inbound.InboundFlags.Binary, BodyFlags.Binary);
        Assert.Equal(Pool.Contracts.Inbound.InboundFlags.Compressed, BodyFlags.Compressed);
        Assert.Equal(Pool.Contracts.Inbound.InboundFlags.ReservedCoding, BodyFlags.ReservedCoding);
        Assert.Equal(Pool.Contracts.Inbound.InboundFlags.Undecodable, BodyFlags.Undecodable);
        Assert.Equal(Pool.Contracts.Inbound.InboundFlags.MessageWaiting, BodyFlags.MessageWaiting);
    }

    private static ShortMessageContent Decode(DeliverSm pdu)
    {
        // Through the wire format, so the codec and the decoder are tested together.
        var decoded = (DeliverSm)SmppCodec.Decode(SmppCodec.Encode(pdu with { SequenceNumber = 1 }));
        return ShortMessageContent.Decode(decoded);
    }
}
