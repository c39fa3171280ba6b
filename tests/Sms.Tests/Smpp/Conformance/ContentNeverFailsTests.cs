using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp.Conformance;

/// <summary>A well-formed PDU's content always decodes to something storable, whatever its bytes.</summary>
public sealed class ContentNeverFailsTests
{
    [Fact]
    public void Every_data_coding_with_random_bodies_and_headers_decodes_without_throwing()
    {
        var random = new Random(20261201);
        for (var dataCoding = 0; dataCoding < 256; dataCoding++)
        {
            for (var round = 0; round < 40; round++)
            {
                var body = new byte[random.Next(0, 160)];
                random.NextBytes(body);
                var esmClass = (byte)(round % 2 == 0 ? 0x00 : EsmClass.UdhIndicator);
                var pdu = new DeliverSm { EsmClass = esmClass, DataCoding = (byte)dataCoding, ShortMessage = body };

                var content = ShortMessageContent.Decode(pdu);

                Assert.Equal(body, content.UserData);
                Assert.True(content.Text is not null || content.Flags.Count > 0, $"0x{dataCoding:X2}: a body without text carries a flag saying why");
                Assert.True(!content.Has(BodyFlags.Undecodable) || content.Problem is not null, $"0x{dataCoding:X2}: an undecodable body says why");
                var packed = SmsBody.Decode(body, (byte)dataCoding, esmClass != 0, Gsm7Packing.Packed, septetCount: random.Next(0, 200));
                Assert.NotNull(packed.Flags);
            }
        }
    }
}
