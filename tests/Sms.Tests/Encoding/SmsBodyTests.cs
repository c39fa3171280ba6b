using Pool.Sms.Encoding;

namespace Pool.Sms.Tests.Encoding;

public sealed class SmsBodyTests
{
    // UDHL 5: IEI 0x00 (8-bit concatenation) ref 0xA7, 3 parts, part 2. Six header octets → 1 fill bit.
    private static readonly byte[] s_udh8 = [0x05, 0x00, 0x03, 0xA7, 0x03, 0x02];

    // UDHL 6: IEI 0x08 (16-bit concatenation) ref 0x1234, 3 parts, part 3. Seven header octets → 0 fill bits.
    private static readonly byte[] s_udh16 = [0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x03];

    // UDHL 8: an element concatenation does not use (IEI 0x24, single shift to the default table) before the 8-bit element. Nine header octets → 5 fill bits.
    private static readonly byte[] s_udhWithUnknown = [0x08, 0x24, 0x01, 0x00, 0x00, 0x03, 0xA7, 0x03, 0x01];

    public static TheoryData<string, byte[], int, int, int, int> Gsm7Headers => new()
    {
        { "8-bit reference, 1 fill bit", s_udh8, 1, 0xA7, 3, 2 },
        { "16-bit reference, no fill bits", s_udh16, 0, 0x1234, 3, 3 },
        { "other element kept, 5 fill bits", s_udhWithUnknown, 5, 0xA7, 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Gsm7Headers))]
    public void Packed_GSM7_after_a_concatenation_header_starts_after_the_fill_bits(string because, byte[] udh, int fillBits, int reference, int total, int sequence)
    {
        const string Text = "Your code is 482913 {€}";
        byte[] body = [.. udh, .. Gsm7.EncodePacked(Text, fillBits)];

        var decoded = SmsBody.Decode(body, SmsBody.Gsm7Default, hasUdh: true, Gsm7Packing.Packed);
        Assert.True(decoded.Flags.Count == 0, $"{because}: {decoded.Problem}");
        Assert.Equal(Text, decoded.Text);
        Assert.Equal(udh.Length, decoded.Header!.Length);
        Assert.Equal(new ConcatenationInfo(reference, total, sequence), decoded.Header.Concatenation);
    }

    [Fact]
    public void Septet_count_from_TP_UDL_includes_the_header_septets()
    {
        byte[] body = [.. s_udh8, .. Gsm7.EncodePacked("hello", 1)];
        var decoded = SmsBody.Decode(body, SmsBody.Gsm7Default, true, Gsm7Packing.Packed, septetCount: 7 + 5);
        Assert.Equal("hello", decoded.Text);
        Assert.Null(decoded.Problem);
    }

    [Fact]
    public void A_septet_count_longer_than_the_body_reads_the_septets_present_and_says_so()
    {
        byte[] body = [.. s_udh8, .. Gsm7.EncodePacked("hello", 1)];

        var decoded = SmsBody.Decode(body, SmsBody.Gsm7Default, true, Gsm7Packing.Packed, septetCount: 7 + 40);

        Assert.Equal("hello", decoded.Text);
        Assert.Empty(decoded.Flags);
        Assert.Contains("septet count 47", decoded.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_carriage_return_that_only_pads_the_last_octet_is_dropped()
    {
        var body = Gsm7.EncodePacked("1234567\r");
        Assert.Equal(7, body.Length);
        Assert.Equal("1234567", SmsBody.Decode(body, SmsBody.Gsm7Default, false, Gsm7Packing.Packed).Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UCS2_after_a_concatenation_header_decodes_with_its_reference(bool sixteenBit)
    {
        const string Text = "您的验证码是123456";
        var udh = sixteenBit ? s_udh16 : s_udh8;
        byte[] body = [.. udh, .. Ucs2.Encode(Text)];

        var decoded = SmsBody.Decode(body, SmsBody.Ucs2Coding, true);
        Assert.Equal(Text, decoded.Text);
        Assert.Equal(sixteenBit ? 0x1234 : 0xA7, decoded.Header!.Concatenation!.Reference);
    }

    [Fact]
    public void Unpacked_GSM7_has_no_fill_bits_after_the_header()
    {
        byte[] body = [.. s_udh8, .. Gsm7.Encode("a€b")];
        var decoded = SmsBody.Decode(body, SmsBody.Gsm7Default, true, Gsm7Packing.Unpacked);
        Assert.Equal("a€b", decoded.Text);
        Assert.Equal(2, decoded.Header!.Concatenation!.Sequence);
    }

    [Theory]
    [InlineData(SmsBody.Latin1)]
    [InlineData(SmsBody.Ascii)]
    public void Latin1_and_ASCII_bodies_decode_as_ISO_8859_1(byte dataCoding)
    {
        var decoded = SmsBody.Decode([0x63, 0x61, 0x66, 0xE9], dataCoding, false);
        Assert.Equal("café", decoded.Text);
        Assert.Null(decoded.Header);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x04)]
    [InlineData(0xF4)]
    public void Eight_bit_data_has_no_text_and_is_flagged_binary(byte dataCoding)
    {
        var decoded = SmsBody.Decode([0x41, 0xFF], dataCoding, false);

        Assert.Null(decoded.Text);
        Assert.Equal([BodyFlags.Binary], decoded.Flags);
    }

    [Fact]
    public void A_ucs2_body_of_odd_length_ends_in_a_replacement_character_and_says_why()
    {
        var decoded = SmsBody.Decode([0x00, 0x41, 0x00], SmsBody.Ucs2Coding, false);

        Assert.Equal("A\uFFFD", decoded.Text);
        Assert.Empty(decoded.Flags);
        Assert.Contains("odd length", decoded.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "body is empty")]
    [InlineData("05000301", "UDH length 5 runs past the 3 bytes")]
    [InlineData("0500040102034141", "declares 4 bytes but only 3 remain")]
    [InlineData("0400020102", "8-bit concatenation element has length 2; expected 3")]
    [InlineData("050803010203", "16-bit concatenation element has length 3; expected 4")]
    [InlineData("0100", "cut off before its length octet")]
    [InlineData("FF0003", "UDH length 255 runs past")]
    public void A_malformed_header_makes_the_body_undecodable_with_a_reason_instead_of_an_exception(string hex, string reason)
    {
        var body = Convert.FromHexString(hex);
        foreach (var dataCoding in new[] { SmsBody.Gsm7Default, SmsBody.Ucs2Coding })
        {
            var decoded = SmsBody.Decode(body, dataCoding, true);
            Assert.Null(decoded.Text);
            Assert.Null(decoded.Header);
            Assert.Equal([BodyFlags.Undecodable], decoded.Flags);
            Assert.Contains(reason, decoded.Problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("0500030A0300")]
    [InlineData("0500030A0304")]
    [InlineData("0500030A0001")]
    public void A_concatenation_element_with_an_impossible_sequence_is_ignored(string udhHex)
    {
        byte[] body = [.. Convert.FromHexString(udhHex), .. Ucs2.Encode("hi")];
        var decoded = SmsBody.Decode(body, SmsBody.Ucs2Coding, true);
        Assert.Equal("hi", decoded.Text);
        Assert.Null(decoded.Header!.Concatenation);
    }
}
