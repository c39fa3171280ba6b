using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp.Conformance;

/// <summary>data_sm and data_sm_resp (SMPP 3.4 §4.7.1, §4.7.2) byte by byte.</summary>
public sealed class DataSmConformanceTests
{
    // Header: command_length 50, command_id 0x00000103, command_status 0, sequence_number 7.
    // Body: service_type "", source 1/1 "85251234567", destination 0/1 "72512", esm_class 0,
    // registered_delivery 1, data_coding 8, message_payload (0x0424) of 4 octets "Hi" in UCS-2.
    private const string DataSmHex =
        "00000032" + "00000103" + "00000000" + "00000007" +
        "00" + "01" + "01" + "3835323531323334353637" + "00" + "00" + "01" + "3732353132" + "00" +
        "00" + "01" + "08" + "0424" + "0004" + "00480069";

    // Header: command_length 25, command_id 0x80000103; message_id "abc", delivery_failure_reason (0x0425) 2.
    private const string DataSmRespHex = "00000019" + "80000103" + "00000000" + "00000007" + "61626300" + "0425" + "0001" + "02";

    private static readonly DataSm s_dataSm = new()
    {
        SequenceNumber = 7,
        SourceAddrTon = 1,
        SourceAddrNpi = 1,
        SourceAddr = "85251234567",
        DestAddrTon = 0,
        DestAddrNpi = 1,
        DestinationAddr = "72512",
        RegisteredDelivery = 1,
        DataCoding = 0x08,
        Tlvs = [new Tlv(TlvTag.MessagePayload, [0x00, 0x48, 0x00, 0x69])],
    };

    [Fact]
    public void Data_sm_encodes_to_the_specification_layout()
    {
        Assert.Equal(DataSmHex, Convert.ToHexString(SmppCodec.Encode(s_dataSm)));
    }

    [Fact]
    public void Data_sm_decodes_from_the_specification_layout()
    {
        var pdu = Assert.IsType<DataSm>(SmppCodec.Decode(Convert.FromHexString(DataSmHex)));

        Assert.Equal(s_dataSm with { Tlvs = pdu.Tlvs }, pdu);
        Assert.Equal([0x00, 0x48, 0x00, 0x69], pdu.UserData);
        Assert.Equal("data_sm", pdu.Name);
    }

    [Fact]
    public void Data_sm_resp_encodes_and_decodes_with_its_message_id_and_tlvs()
    {
        var resp = new DataSmResp { SequenceNumber = 7, MessageId = "abc", Tlvs = [Tlv.FromByte(0x0425, 2)] };

        Assert.Equal(DataSmRespHex, Convert.ToHexString(SmppCodec.Encode(resp)));
        var decoded = Assert.IsType<DataSmResp>(SmppCodec.Decode(Convert.FromHexString(DataSmRespHex)));
        Assert.Equal("abc", decoded.MessageId);
        Assert.Equal([0x02], Assert.Single(decoded.Tlvs).Value);
    }

    [Fact]
    public void An_error_data_sm_resp_may_come_without_a_body()
    {
        var decoded = Assert.IsType<DataSmResp>(SmppCodec.Decode(Convert.FromHexString("00000010" + "80000103" + "00000045" + "00000007")));

        Assert.Equal(("", 0x45u), (decoded.MessageId, decoded.CommandStatus));
    }

    [Fact]
    public void Data_sm_addresses_hold_64_characters_and_no_more()
    {
        var long64 = new string('9', 64);
        var pdu = s_dataSm with { SourceAddr = long64, DestinationAddr = long64 };
        Assert.Equal(long64, ((DataSm)SmppCodec.Decode(SmppCodec.Encode(pdu))).DestinationAddr);

        Assert.Throws<ArgumentException>(() => SmppCodec.Encode(pdu with { SourceAddr = long64 + "9" }));
    }

    [Fact]
    public void A_data_sm_whose_address_has_no_nul_within_65_octets_is_a_malformed_pdu()
    {
        var frame = Convert.FromHexString("00000062" + "00000103" + "00000000" + "00000001" + "00" + "0101" + new string('3', 2 * 65) + "00");
        frame[3] = (byte)frame.Length;

        var error = Assert.Throws<SmppDecodeException>(() => SmppCodec.Decode(frame));
        Assert.Equal("source_addr", error.Field);
    }

    [Fact]
    public void A_mobile_originated_data_sm_decodes_through_the_same_content_decoder_as_deliver_sm()
    {
        var content = ShortMessageContent.Decode((DataSm)SmppCodec.Decode(Convert.FromHexString(DataSmHex)));

        Assert.Equal("Hi", content.Text);
        Assert.Equal("data_sm", content.Command);
        Assert.Equal(Charset.Ucs2, content.Scheme.Charset);
        Assert.Equal("85251234567", content.Sender.Address);
        Assert.Equal(Convert.FromHexString("0424000400480069"), content.EncodedTlvs);
    }

    [Fact]
    public void A_data_sm_with_sar_tlvs_gives_its_concatenation_info()
    {
        var content = ShortMessageContent.Decode(s_dataSm with
        {
            Tlvs = [.. s_dataSm.Tlvs, Tlv.FromUInt16(TlvTag.SarMsgRefNum, 0xBEEF), Tlv.FromByte(TlvTag.SarTotalSegments, 3), Tlv.FromByte(TlvTag.SarSegmentSeqnum, 3)],
        });

        Assert.Equal(new ConcatenationInfo(0xBEEF, 3, 3), content.Concatenation);
    }

    [Fact]
    public void A_data_sm_without_message_payload_has_empty_user_data_and_empty_text()
    {
        var content = ShortMessageContent.Decode(s_dataSm with { Tlvs = [] });

        Assert.Empty(content.UserData);
        Assert.Equal("", content.Text);
    }
}
