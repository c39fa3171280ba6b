using Pool.Sms.Encoding;

namespace Pool.Sms.Tests.Encoding;

public sealed class Gsm7Tests
{
    [Theory]
    [InlineData("hellohello", "E8329BFD4697D9EC37")]
    [InlineData("hello", "E8329BFD06")]
    [InlineData("1234567", "31D98C56B3DD00")]
    [InlineData("12345678", "31D98C56B3DD70")]
    [InlineData("@", "00")]
    public void Known_text_packs_to_the_published_octets(string text, string hex)
    {
        Assert.Equal(Convert.FromHexString(hex), Gsm7.EncodePacked(text));
        Assert.Equal(text, Gsm7.DecodePacked(Convert.FromHexString(hex), text.Length));
    }

    [Theory]
    [InlineData("Your code is 123456")]
    [InlineData("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà")]
    [InlineData("^{}\\[~]|€\f")]
    [InlineData("Price: 5€ {promo} [code ~ 1234] | a^b \\ end")]
    [InlineData("")]
    public void Text_in_the_alphabet_round_trips_through_septets(string text)
    {
        Assert.True(Gsm7.TryDecode(Gsm7.Encode(text), out var decoded, out var invalid), $"invalid septet at {invalid}");
        Assert.Equal(text, decoded);
    }

    [Theory]
    [InlineData("hellohello", 0)]
    [InlineData("hellohello", 1)]
    [InlineData("€uro {x} 1234567", 3)]
    [InlineData("exactly8", 6)]
    [InlineData("ÆØÅ ^ ~", 5)]
    public void Text_round_trips_packed_after_any_fill_bits(string text, int fillBits)
    {
        var septets = Gsm7.SeptetLength(text)!.Value;
        var packed = Gsm7.EncodePacked(text, fillBits);
        Assert.Equal((fillBits + (7 * septets) + 7) / 8, packed.Length);
        Assert.True(Gsm7.TryDecodePacked(packed, septets, fillBits, out var decoded, out var invalid), $"invalid septet at {invalid}");
        Assert.Equal(text, decoded);
    }

    [Fact]
    public void Fill_bits_are_left_zero_in_the_first_octet()
    {
        // 'h' = 0x68 shifted past one fill bit: 0xD0 in the first octet.
        var packed = Gsm7.EncodePacked("h", 1);
        Assert.Equal(new byte[] { 0xD0 }, packed);
    }

    [Theory]
    [InlineData("plain ascii", 11)]
    [InlineData("€", 2)]
    [InlineData("{a}", 5)]
    [InlineData("\f", 2)]
    [InlineData("", 0)]
    public void Extension_characters_count_two_septets(string text, int septets)
    {
        Assert.True(Gsm7.CanEncode(text));
        Assert.Equal(septets, Gsm7.SeptetLength(text));
    }

    [Theory]
    [InlineData("您好")]
    [InlineData("emoji 😀")]
    [InlineData("`backtick")]
    [InlineData("\u001B")]
    public void Text_outside_the_alphabet_cannot_be_encoded(string text)
    {
        Assert.False(Gsm7.CanEncode(text));
        Assert.Null(Gsm7.SeptetLength(text));
        Assert.Throws<ArgumentException>(() => Gsm7.Encode(text));
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x80, 0x42 }, "A?B", 1)]
    [InlineData(new byte[] { 0x41, 0x1B, 0x80, 0x42 }, "A?B", 1)]
    [InlineData(new byte[] { 0xFF }, "?", 0)]
    public void Invalid_septets_decode_to_a_question_mark_and_strict_decoding_names_the_first(byte[] septets, string lenient, int position)
    {
        Assert.Equal(lenient, Gsm7.Decode(septets));
        Assert.False(Gsm7.TryDecode(septets, out var text, out var invalid));
        Assert.Null(text);
        Assert.Equal(position, invalid);
    }

    [Fact]
    public void A_dangling_escape_decodes_to_a_space_and_strict_decoding_names_it()
    {
        // TS 23.038 §6.2.1: an escape a receiver cannot interpret is shown as a space.
        byte[] septets = [0x41, 0x42, 0x1B];
        Assert.Equal("AB ", Gsm7.Decode(septets));
        Assert.False(Gsm7.TryDecode(septets, out var text, out var invalid));
        Assert.Null(text);
        Assert.Equal(2, invalid);
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x1B, 0x41, 0x42 }, "AAB")]
    [InlineData(new byte[] { 0x1B, 0x00, 0x1B, 0x0D }, "@\r")]
    [InlineData(new byte[] { 0x1B, 0x1B, 0x41 }, " A")]
    public void Escapes_the_extension_table_does_not_define_decode_as_the_specification_says(byte[] septets, string expected)
    {
        // TS 23.038 §6.2.1.1: an undefined value after an escape shows the default alphabet's character;
        // an escape after an escape is reserved for a further table and shows a space.
        Assert.Equal(expected, Gsm7.Decode(septets));
        Assert.True(Gsm7.TryDecode(septets, out var text, out var invalid), $"invalid septet at {invalid}");
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Packed_data_shorter_than_the_septet_count_is_truncated_leniently_and_refused_strictly()
    {
        var packed = Gsm7.EncodePacked("hello");
        Assert.Equal("hello", Gsm7.DecodePacked(packed, 40));
        Assert.False(Gsm7.TryDecodePacked(packed, 40, 0, out _, out var invalid));
        Assert.Equal(5, invalid);
    }
}
