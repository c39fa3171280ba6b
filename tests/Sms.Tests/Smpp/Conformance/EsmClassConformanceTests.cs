using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp.Conformance;

/// <summary>esm_class message types for deliver_sm and data_sm (SMPP 3.4 §5.2.12, bits 5–2).</summary>
public sealed class EsmClassConformanceTests
{
    // Bits 5-2 as the specification lists them; the reserved patterns are Unknown.
    public static TheoryData<string, MessageType, bool> MessageTypes => new()
    {
        { "0000", MessageType.Default, false },
        { "0001", MessageType.DeliveryReceipt, true },
        { "0010", MessageType.SmeDeliveryAcknowledgement, true },
        { "0011", MessageType.Unknown, false },
        { "0100", MessageType.SmeManualAcknowledgement, true },
        { "0101", MessageType.Unknown, false },
        { "0110", MessageType.ConversationAbort, true },
        { "0111", MessageType.Unknown, false },
        { "1000", MessageType.IntermediateDeliveryNotification, true },
        { "1001", MessageType.Unknown, false },
        { "1010", MessageType.Unknown, false },
        { "1011", MessageType.Unknown, false },
        { "1100", MessageType.Unknown, false },
        { "1101", MessageType.Unknown, false },
        { "1110", MessageType.Unknown, false },
        { "1111", MessageType.Unknown, false },
    };

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void The_message_type_comes_from_bits_5_to_2_whatever_the_mode_and_feature_bits(string typeBits, MessageType type, bool statusReport)
    {
        // Bits 7-6 (GSM network features: UDHI, reply path) and 1-0 (messaging mode) take every value.
        foreach (var features in new[] { "00", "01", "10", "11" })
        {
            foreach (var mode in new[] { "00", "01", "10", "11" })
            {
                var esmClass = Convert.ToByte(features + typeBits + mode, 2);

                Assert.Equal(type, EsmClass.TypeOf(esmClass));
                Assert.Equal(statusReport, EsmClass.IsStatusReport(esmClass));
            }
        }
    }

    [Theory]
    [InlineData(0x04, MessageType.DeliveryReceipt)]
    [InlineData(0x08, MessageType.SmeDeliveryAcknowledgement)]
    [InlineData(0x10, MessageType.SmeManualAcknowledgement)]
    [InlineData(0x18, MessageType.ConversationAbort)]
    [InlineData(0x20, MessageType.IntermediateDeliveryNotification)]
    [InlineData(0x44, MessageType.DeliveryReceipt)]
    public void A_status_report_decodes_as_its_message_type_not_as_a_message(int esmClass, MessageType type)
    {
        var content = ShortMessageContent.Decode(new DeliverSm { EsmClass = (byte)esmClass, ShortMessage = "id:1 stat:DELIVRD"u8.ToArray() });

        Assert.Equal(type, content.MessageType);
        Assert.True(EsmClass.IsStatusReport(content.MessageType));
    }
}
