using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp.Conformance;

/// <summary>deliver_sm shapes reported against other gateways, decoded through the wire format.</summary>
public sealed class CarrierExampleTests
{
    [Fact]
    public void Data_coding_F0_is_flash_gsm7_and_its_text_decodes()
    {
        var content = Decode(new DeliverSm { DataCoding = 0xF0, ShortMessage = Gsm7.Encode("Code 482913") });

        Assert.Equal("Code 482913", content.Text);
        Assert.Equal(0, content.Scheme.MessageClass);
        Assert.Empty(content.Flags);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x04)]
    public void Octet_unspecified_is_binary_with_no_text(int dataCoding)
    {
        var content = Decode(new DeliverSm { DataCoding = (byte)dataCoding, ShortMessage = [0x0B, 0x05, 0x04, 0xC3, 0x4F] });

        Assert.Null(content.Text);
        Assert.Equal([BodyFlags.Binary], content.Flags);
        Assert.Equal([0x0B, 0x05, 0x04, 0xC3, 0x4F], content.UserData);
    }

    [Theory]
    [InlineData(0x0B)]
    [InlineData(0x0C)]
    [InlineData(0x0F)]
    [InlineData(0x1C)]
    [InlineData(0x80)]
    [InlineData(0xBF)]
    public void A_reserved_data_coding_is_flagged_and_read_as_the_gsm7_default_alphabet(int dataCoding)
    {
        var content = Decode(new DeliverSm { DataCoding = (byte)dataCoding, ShortMessage = Gsm7.Encode("Code 482913") });

        Assert.Equal([BodyFlags.ReservedCoding], content.Flags);
        Assert.Equal("Code 482913", content.Text);
        Assert.Contains("reserved", content.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ucs2_body_cut_to_an_odd_length_decodes_with_a_replacement_character()
    {
        var content = Decode(new DeliverSm { DataCoding = 0x08, ShortMessage = [0x4E, 0x2D, 0x65] });

        Assert.Equal("中\uFFFD", content.Text);
        Assert.Empty(content.Flags);
    }

    [Fact]
    public void A_long_message_in_message_payload_with_a_udh_decodes_after_its_header()
    {
        var text = new string('x', 300);
        byte[] payload = [0x05, 0x00, 0x03, 0x11, 0x02, 0x02, .. Gsm7.Encode(text)];

        var content = Decode(new DeliverSm { EsmClass = EsmClass.UdhIndicator, Tlvs = [new Tlv(TlvTag.MessagePayload, payload)] });

        Assert.Equal(text, content.Text);
        Assert.Equal(new ConcatenationInfo(0x11, 2, 2), content.Concatenation);
    }

    [Fact]
    public void Sar_with_a_sequence_above_its_total_keeps_the_message_whole()
    {
        var content = Decode(new DeliverSm
        {
            ShortMessage = Gsm7.Encode("part"),
            Tlvs = [Tlv.FromUInt16(TlvTag.SarMsgRefNum, 1), Tlv.FromByte(TlvTag.SarTotalSegments, 2), Tlv.FromByte(TlvTag.SarSegmentSeqnum, 3)],
        });

        Assert.Null(content.Concatenation);
        Assert.Equal("part", content.Text);
        Assert.Contains("sar_segment_seqnum 3 is outside 1..2", content.Problem, StringComparison.Ordinal);
    }

    private static ShortMessageContent Decode(DeliverSm pdu) =>
        ShortMessageContent.Decode((DeliverSm)SmppCodec.Decode(SmppCodec.Encode(pdu with { SequenceNumber = 1 })));
}
