using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp;

public sealed class DeliveryReceiptTests
{
    [Theory]
    [InlineData("id:1A2B sub:001 dlvrd:001 submit date:2611231200 done date:2611231201 stat:DELIVRD err:000 text:Your code", "1A2B", MessageState.Delivered, "000")]
    [InlineData("ID:0000006699 SUB:001 DLVRD:000 SUBMIT DATE:2611231200 DONE DATE:2611231201 STAT:UNDELIV ERR:034 TEXT:", "0000006699", MessageState.Undeliverable, "034")]
    [InlineData("id:abc-123 stat:expired err:", "abc-123", MessageState.Expired, null)]
    [InlineData("id:77 submit_date:2611231200 done_date:2611231201 stat:REJECTD", "77", MessageState.Rejected, null)]
    [InlineData("id:5 stat:ACCEPTD", "5", MessageState.Accepted, null)]
    [InlineData("id:5 stat:ENROUTE err:0", "5", MessageState.Enroute, "0")]
    [InlineData("id:5 stat:SOMETHING", "5", MessageState.Unknown, null)]
    [InlineData("id:9", "9", MessageState.Unknown, null)]
    [InlineData("  id: 42  stat: DELIVRD ", "42", MessageState.Delivered, null)]
    public void Receipt_texts_are_read_in_any_case_with_fields_missing(string text, string id, MessageState state, string? error)
    {
        Assert.True(DeliveryReceipts.TryParseText(text, out var receipt, out var problem), problem);

        Assert.Equal(id, receipt.MessageId);
        Assert.Equal(state, receipt.State);
        Assert.Equal(error, receipt.ErrorCode);
    }

    [Fact]
    public void The_full_text_gives_counts_dates_and_the_quoted_text()
    {
        Assert.True(DeliveryReceipts.TryParseText("id:1 sub:001 dlvrd:001 submit date:2611231200 done date:261123120105 stat:DELIVRD err:000 text:Hello id:2", out var receipt, out _));

        Assert.Equal(1, receipt.Submitted);
        Assert.Equal(1, receipt.Delivered);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), receipt.SubmitDate);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 1, 5, TimeSpan.Zero), receipt.DoneDate);
        Assert.Equal("Hello id:2", receipt.Text);
        Assert.Equal("1", receipt.MessageId);
    }

    [Fact]
    public void A_text_without_an_id_is_not_a_receipt()
    {
        Assert.False(DeliveryReceipts.TryParseText("sub:001 stat:DELIVRD", out _, out var error));
        Assert.Contains("id:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_receipted_message_id_and_message_state_tlvs_win_over_the_text()
    {
        var pdu = new DeliverSm
        {
            EsmClass = EsmClass.DeliveryReceipt,
            ShortMessage = "id:6699 sub:001 dlvrd:000 submit date:2611231200 done date:2611231201 stat:UNKNOWN err:000 text:"u8.ToArray(),
            Tlvs = [Tlv.FromCString(TlvTag.ReceiptedMessageId, "1A2B"), Tlv.FromByte(TlvTag.MessageState, (byte)MessageState.Delivered)],
        };

        Assert.True(DeliveryReceipts.IsReceipt(pdu));
        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out var error), error);

        Assert.Equal("1A2B", receipt.MessageId);
        Assert.Equal(MessageState.Delivered, receipt.State);
    }

    [Fact]
    public void A_receipt_pdu_without_tlvs_is_read_from_its_text()
    {
        var pdu = new DeliverSm { EsmClass = EsmClass.DeliveryReceipt, ShortMessage = "id:6699 stat:UNDELIV err:001"u8.ToArray() };

        Assert.True(DeliveryReceipts.TryParse(pdu, out var receipt, out _));

        Assert.Equal(("6699", MessageState.Undeliverable, "001"), (receipt.MessageId, receipt.State, receipt.ErrorCode));
    }

    [Fact]
    public void A_mobile_originated_message_is_not_a_receipt()
    {
        Assert.False(DeliveryReceipts.IsReceipt(new DeliverSm { EsmClass = 0x00 }));
        Assert.False(DeliveryReceipts.IsReceipt(new DeliverSm { EsmClass = EsmClass.UdhIndicator }));
        Assert.True(DeliveryReceipts.IsReceipt(new DeliverSm { EsmClass = EsmClass.DeliveryReceipt | EsmClass.UdhIndicator }));
        Assert.True(DeliveryReceipts.IsReceipt(new DataSm { EsmClass = EsmClass.IntermediateDeliveryNotification }));
    }

    [Fact]
    public void A_formatted_receipt_reads_back_to_the_same_fields()
    {
        var original = new DeliveryReceipt("1A2B", MessageState.Undeliverable, "034", 1, 0, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 12, 1, 0, TimeSpan.Zero), "Your code");

        Assert.True(DeliveryReceipts.TryParseText(DeliveryReceipts.Format(original), out var parsed, out _));

        Assert.Equal(original, parsed);
    }

    [Theory]
    [InlineData("1A2B", "6699", true)]
    [InlineData("6699", "1A2B", true)]
    [InlineData("1a2b", "1A2B", true)]
    [InlineData("00001A2B", "6699", true)]
    [InlineData("0000006699", "6699", true)]
    [InlineData("abc-123", "ABC-123", true)]
    [InlineData("FFFFFFFF", "4294967295", true)]
    [InlineData("1A2B", "6698", false)]
    [InlineData("abc-123", "abc-124", false)]
    [InlineData("", "", false)]
    [InlineData("12345678901234567890123456789012345678901234567890", "12345678901234567890123456789012345678901234567890", true)]
    public void Message_ids_match_whatever_their_hex_or_decimal_form(string submitted, string received, bool match)
    {
        Assert.Equal(match, MessageIds.Match(submitted, received));
    }
}
