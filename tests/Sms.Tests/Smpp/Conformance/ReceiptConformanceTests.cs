using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp.Conformance;

/// <summary>Status reports in deliver_sm and data_sm (SMPP 3.4 §5.2.12, §5.2.28, §5.3.2, Appendix B).</summary>
public sealed class ReceiptConformanceTests
{
    private const string Text = "id:S1000000000000000000001 sub:001 dlvrd:001 submit date:2612010000 done date:2612010001 stat:DELIVRD err:000 text:";

    [Fact]
    public void An_ascii_receipt_declared_as_ucs2_is_read_as_ascii()
    {
        var pdu = new DeliverSm { EsmClass = 0x04, DataCoding = 0x08, ShortMessage = System.Text.Encoding.ASCII.GetBytes(Text) };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out var error), error);

        Assert.Equal("S1000000000000000000001", receipt.MessageId);
        Assert.Equal(MessageState.Delivered, receipt.State);
        Assert.True(receipt.Final);
        Assert.Equal(MessageType.DeliveryReceipt, receipt.Type);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x04)]
    [InlineData(0xF0)]
    [InlineData(0x0B)]
    public void An_ascii_receipt_is_read_whatever_data_coding_it_declares(int dataCoding)
    {
        var pdu = new DeliverSm { EsmClass = 0x04, DataCoding = (byte)dataCoding, ShortMessage = System.Text.Encoding.ASCII.GetBytes(Text) };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out var error), error);
        Assert.Equal("S1000000000000000000001", receipt.MessageId);
    }

    [Fact]
    public void A_ucs2_receipt_text_declared_as_ucs2_is_read_as_ucs2()
    {
        var pdu = new DeliverSm { EsmClass = 0x04, DataCoding = 0x08, ShortMessage = Pool.Sms.Encoding.Ucs2.Encode("id:77 stat:UNDELIV err:001") };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out var error), error);
        Assert.Equal(("77", MessageState.Undeliverable), (receipt.MessageId, receipt.State));
    }

    [Fact]
    public void A_data_sm_receipt_reads_its_tlvs_and_network_error_code()
    {
        var pdu = new DataSm
        {
            EsmClass = 0x04,
            Tlvs =
            [
                Tlv.FromCString(TlvTag.ReceiptedMessageId, "0A1B"),
                Tlv.FromByte(TlvTag.MessageState, (byte)MessageState.Undeliverable),
                new Tlv(TlvTag.NetworkErrorCode, [0x03, 0x00, 0x22]),
            ],
        };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out var error), error);

        Assert.Equal("0A1B", receipt.MessageId);
        Assert.Equal(MessageState.Undeliverable, receipt.State);
        Assert.Equal(new NetworkErrorCode(3, 0x0022), receipt.NetworkError);
        Assert.True(receipt.Final);
    }

    [Fact]
    public void A_network_error_code_of_the_wrong_length_is_ignored()
    {
        var pdu = new DeliverSm { EsmClass = 0x04, ShortMessage = "id:1 stat:DELIVRD"u8.ToArray(), Tlvs = [new Tlv(TlvTag.NetworkErrorCode, [0x03])] };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out _));
        Assert.Null(receipt.NetworkError);
    }

    [Theory]
    [InlineData(MessageState.Enroute, false)]
    [InlineData(MessageState.Delivered, true)]
    [InlineData(MessageState.Expired, true)]
    [InlineData(MessageState.Deleted, true)]
    [InlineData(MessageState.Undeliverable, true)]
    [InlineData(MessageState.Accepted, true)]
    [InlineData(MessageState.Unknown, false)]
    [InlineData(MessageState.Rejected, true)]
    public void Message_states_are_final_as_section_5_2_28_defines_them(MessageState state, bool final)
    {
        Assert.Equal(final, DeliveryReceipts.IsFinal(state));
    }

    [Fact]
    public void An_intermediate_delivery_notification_is_never_final()
    {
        var pdu = new DeliverSm { EsmClass = 0x20, ShortMessage = "id:5 stat:DELIVRD"u8.ToArray() };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out _));

        Assert.Equal(MessageType.IntermediateDeliveryNotification, receipt.Type);
        Assert.False(receipt.Final);
    }

    [Theory]
    [InlineData(0x08, MessageType.SmeDeliveryAcknowledgement)]
    [InlineData(0x10, MessageType.SmeManualAcknowledgement)]
    public void An_sme_acknowledgement_reports_its_type(int esmClass, MessageType type)
    {
        var pdu = new DeliverSm { EsmClass = (byte)esmClass, Tlvs = [Tlv.FromCString(TlvTag.ReceiptedMessageId, "9")] };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out _));
        Assert.Equal(type, receipt.Type);
    }

    [Fact]
    public void A_receipt_whose_text_has_a_gsm_escape_still_gives_its_id_and_state()
    {
        // The quoted text carries ESC (0x1B) as the SMSC copied it from a GSM 7-bit submit.
        var pdu = new DeliverSm { EsmClass = 0x04, DataCoding = 0x00, ShortMessage = [.. "id:117062714244798261 sub:001 dlvrd:001 stat:DELIVRD err:0000 text:H"u8, 0x1B, .. "ello"u8] };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out _));
        Assert.Equal(("117062714244798261", MessageState.Delivered, "0000"), (receipt.MessageId, receipt.State, receipt.ErrorCode));
    }

    [Fact]
    public void A_receipt_without_sub_and_dlvrd_is_read()
    {
        var pdu = new DeliverSm { EsmClass = 0x04, ShortMessage = "id:1526758174 submit date:1701240904 done date:1701240904 stat:DELIVRD err:000 text:hellow"u8.ToArray() };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out _));
        Assert.Equal(("1526758174", (int?)null, "hellow"), (receipt.MessageId, receipt.Submitted, receipt.Text));
    }
}
