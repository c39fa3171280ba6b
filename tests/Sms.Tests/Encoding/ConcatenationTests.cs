using Pool.Sms.Encoding;

namespace Pool.Sms.Tests.Encoding;

/// <summary>Joining the parts of a concatenated SMS (the concatenation grain keeps them; this is how they are put together).</summary>
public sealed class ConcatenationTests
{
    [Fact]
    public void Parts_join_in_sequence_order()
    {
        var (text, missing) = Concatenation.Join(["您的验证码是", "123456，", "5分钟内有效"]);

        Assert.Equal("您的验证码是123456，5分钟内有效", text);
        Assert.Empty(missing);
    }

    [Fact]
    public void A_missing_part_stands_as_the_marker_and_is_named()
    {
        var (text, missing) = Concatenation.Join(["Your code ", null, " expires soon", null]);

        Assert.Equal("Your code […] expires soon[…]", text);
        Assert.Equal([2, 4], missing);
    }

    [Fact]
    public void Decoded_UDH_parts_in_any_order_join_into_the_full_message()
    {
        string[] texts = ["您的验证码是", "123456，", "5分钟内有效"];
        var parts = new string?[3];
        foreach (var sequence in new[] { 2, 3, 1 })
        {
            byte[] body = [0x06, 0x08, 0x04, 0x01, 0x02, 0x03, (byte)sequence, .. Ucs2.Encode(texts[sequence - 1])];
            var decoded = SmsBody.Decode(body, SmsBody.Ucs2Coding, hasUdh: true);
            Assert.Empty(decoded.Flags);
            Assert.Equal(new ConcatenationInfo(0x0102, 3, sequence), decoded.Header!.Concatenation);
            parts[sequence - 1] = decoded.Text;
        }

        Assert.Equal("您的验证码是123456，5分钟内有效", Concatenation.Join(parts).Text);
    }
}
