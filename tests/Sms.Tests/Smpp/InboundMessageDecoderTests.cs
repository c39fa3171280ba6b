using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp;

public sealed class InboundMessageDecoderTests
{
    private const string From = "85251234567";
    private const string To = "447911123456";

    [Fact]
    public void Gsm7_one_septet_per_octet_decodes_with_extension_characters()
    {
        var message = Decode(new DeliverSm { SourceAddr = From, DestinationAddr = To, DataCoding = 0x00, ShortMessage = Gsm7.Encode("Code: 4829 €5 {ok} @home") });

        Assert.Equal("Code: 4829 €5 {ok} @home", message.Text);
        Assert.Equal(From, message.Sender);
        Assert.Equal(To, message.Recipient);
        Assert.Null(message.Concatenation);
    }

    [Fact]
    public void Ucs2_chinese_decodes()
    {
        var message = Decode(new DeliverSm { DataCoding = 0x08, ShortMessage = Ucs2.Encode("您的验证码是 482913，5分钟内有效") });

        Assert.Equal("您的验证码是 482913，5分钟内有效", message.Text);
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
    }

    [Fact]
    public void Parts_decoded_from_udh_and_sar_reassemble_in_the_concatenation_buffer()
    {
        var split = MessageSplitter.Split(new string('7', 150) + " is your code, valid for ten minutes.", 9);
        var buffer = new ConcatenationBuffer(TimeProvider.System);
        AddResult? last = null;
        foreach (var part in split.Parts.Reverse())
        {
            var message = Decode(new DeliverSm { SourceAddr = From, DestinationAddr = To, EsmClass = EsmClass.UdhIndicator, DataCoding = split.DataCoding, ShortMessage = part.ShortMessage });
            last = buffer.Add(message.Sender, message.Recipient, message.Concatenation!, message.Text);
        }

        Assert.Equal(PartOutcome.Completed, last!.Outcome);
        Assert.Equal(new string('7', 150) + " is your code, valid for ten minutes.", last.Message!.Text);
    }

    [Fact]
    public void Message_payload_is_read_when_short_message_is_empty()
    {
        var text = new string('长', 200);

        var message = Decode(new DeliverSm { DataCoding = 0x08, Tlvs = [new Tlv(TlvTag.MessagePayload, Ucs2.Encode(text))] });

        Assert.Equal(text, message.Text);
    }

    [Fact]
    public void An_unsupported_data_coding_is_refused_with_a_reason()
    {
        Assert.False(InboundMessageDecoder.TryDecode(new DeliverSm { DataCoding = 0x04, ShortMessage = [1, 2] }, out _, out var error));
        Assert.Contains("data_coding 0x04 is not supported", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_a_set_of_sar_tlvs_is_refused()
    {
        var pdu = new DeliverSm { Tlvs = [Tlv.FromUInt16(TlvTag.SarMsgRefNum, 1), Tlv.FromByte(TlvTag.SarSegmentSeqnum, 1)] };

        Assert.False(InboundMessageDecoder.TryDecode(pdu, out _, out var error));
        Assert.Contains("SAR TLVs are incomplete", error, StringComparison.Ordinal);
    }

    private static InboundMessage Decode(DeliverSm pdu)
    {
        // Through the wire format, so the codec and the decoder are tested together.
        var decoded = (DeliverSm)SmppCodec.Decode(SmppCodec.Encode(pdu with { SequenceNumber = 1 }));
        Assert.True(InboundMessageDecoder.TryDecode(decoded, out var message, out var error), error);
        return message;
    }
}
