using Pool.Sms.Encoding;

namespace Pool.Sms.Tests.Smpp.Conformance;

/// <summary>Each SMPP 3.4 §5.2.19 character set decodes by its standard's code points.</summary>
public sealed class CharsetConformanceTests
{
    public static TheoryData<int, string, string> Texts => new()
    {
        { 0x01, "49 44 3A 20 7E", "ID: ~" },
        { 0x03, "63 61 66 E9", "café" },
        { 0x06, "BF E0 D8 D2 D5 E2", "Привет" },
        { 0x07, "F9 EC E5 ED", "שלום" },
        { 0x08, "00 41 4E 2D D8 3D DE 00", "A中😀" },
        { 0x0A, "1B 24 42 46 7C 4B 5C 1B 28 42", "日本" },
        { 0x05, "46 7C 4B 5C", "日本" },
        { 0x0E, "C7 D1 B1 B9", "한국" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Each_character_set_decodes_by_its_code_points(int dataCoding, string hex, string text)
    {
        var decoded = SmsBody.Decode(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), (byte)dataCoding, hasUdh: false);

        Assert.Equal(text, decoded.Text);
        Assert.Empty(decoded.Flags);
    }

    [Theory]
    [InlineData(0x09)]
    [InlineData(0x0D)]
    public void Pictograms_and_extended_kanji_have_no_decoder_and_are_kept_undecodable(int dataCoding)
    {
        var decoded = SmsBody.Decode([0x30, 0x21], (byte)dataCoding, hasUdh: false);

        Assert.Null(decoded.Text);
        Assert.Equal([BodyFlags.Undecodable], decoded.Flags);
        Assert.Contains($"0x{dataCoding:X2}", decoded.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Jis_octets_outside_the_two_octet_range_are_undecodable()
    {
        var decoded = SmsBody.Decode([0x41, 0x0A], 0x05, hasUdh: false);

        Assert.Null(decoded.Text);
        Assert.Equal([BodyFlags.Undecodable], decoded.Flags);
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x28)]
    [InlineData(0x7A)]
    public void Compressed_user_data_has_no_text_and_is_flagged_compressed(int dataCoding)
    {
        var decoded = SmsBody.Decode([0x12, 0x34], (byte)dataCoding, hasUdh: false);

        Assert.Null(decoded.Text);
        Assert.Contains(BodyFlags.Compressed, decoded.Flags);
        Assert.DoesNotContain(BodyFlags.Undecodable, decoded.Flags);
    }

    [Fact]
    public void A_message_waiting_indication_keeps_its_text_and_is_flagged()
    {
        var decoded = SmsBody.Decode(Gsm7.Encode("2 new voicemails"), 0xC8, hasUdh: false);

        Assert.Equal("2 new voicemails", decoded.Text);
        Assert.Equal([BodyFlags.MessageWaiting], decoded.Flags);
    }

    [Fact]
    public void Ia5_octets_above_7F_are_kept_as_latin1_instead_of_failing()
    {
        Assert.Equal("stat:DELIVRD \u0084", SmsBody.Decode([.. "stat:DELIVRD "u8, 0x84], 0x01, hasUdh: false).Text);
    }
}
