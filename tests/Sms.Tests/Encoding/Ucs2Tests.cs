using Pool.Sms.Encoding;

namespace Pool.Sms.Tests.Encoding;

public sealed class Ucs2Tests
{
    [Theory]
    [InlineData("您的验证码是123456", "60A876849A8C8BC17801662F003100320033003400350036")]
    [InlineData("Code 42", "0043006F00640065002000340032")]
    [InlineData("😀", "D83DDE00")]
    [InlineData("", "")]
    public void Text_encodes_to_big_endian_code_units_and_back(string text, string hex)
    {
        Assert.Equal(Convert.FromHexString(hex), Ucs2.Encode(text));
        Assert.True(Ucs2.TryDecode(Convert.FromHexString(hex), out var decoded, out var error), error);
        Assert.Equal(text, decoded);
        Assert.Equal(text, Ucs2.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void An_odd_byte_count_is_an_error_strictly_and_a_replacement_character_leniently()
    {
        var bytes = Convert.FromHexString("00410042FF");
        Assert.False(Ucs2.TryDecode(bytes, out var text, out var error));
        Assert.Null(text);
        Assert.Contains("odd length", error, StringComparison.Ordinal);
        Assert.Equal("AB\uFFFD", Ucs2.Decode(bytes));
    }
}
