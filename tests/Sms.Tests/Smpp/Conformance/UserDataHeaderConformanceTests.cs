using Pool.Sms.Encoding;
using Pool.Sms.Smpp;

namespace Pool.Sms.Tests.Smpp.Conformance;

/// <summary>User data header information elements (3GPP TS 23.040 §9.2.3.24) as deliver_sm carries them.</summary>
public sealed class UserDataHeaderConformanceTests
{
    [Fact]
    public void Iei_00_is_an_eight_bit_reference_with_total_and_sequence()
    {
        Assert.True(UserDataHeader.TryParse([0x05, 0x00, 0x03, 0xFE, 0x04, 0x04], out var header, out var error), error);

        Assert.Equal(new ConcatenationInfo(0xFE, 4, 4), header.Concatenation);
        Assert.Equal(6, header.Length);
    }

    [Fact]
    public void Iei_08_is_a_sixteen_bit_big_endian_reference_with_total_and_sequence()
    {
        Assert.True(UserDataHeader.TryParse([0x06, 0x08, 0x04, 0xAB, 0xCD, 0x02, 0x01], out var header, out var error), error);

        Assert.Equal(new ConcatenationInfo(0xABCD, 2, 1), header.Concatenation);
    }

    [Fact]
    public void Iei_24_and_25_select_the_single_and_locking_shift_tables_and_every_element_is_kept_in_order()
    {
        byte[] udh = [0x0B, 0x00, 0x03, 0x01, 0x02, 0x01, 0x24, 0x01, 0x01, 0x25, 0x01, 0x03];

        Assert.True(UserDataHeader.TryParse(udh, out var header, out var error), error);

        Assert.Equal(NationalLanguage.Turkish, header.SingleShift);
        Assert.Equal(NationalLanguage.Portuguese, header.LockingShift);
        Assert.Equal(new Gsm7Tables(NationalLanguage.Portuguese, NationalLanguage.Turkish), header.Tables);
        Assert.Equal(
            [new InformationElement(0x00, [0x01, 0x02, 0x01]), new InformationElement(0x24, [0x01]), new InformationElement(0x25, [0x03])],
            header.Elements);
    }

    [Fact]
    public void An_element_the_codec_does_not_interpret_is_kept_with_its_data()
    {
        // IEI 0x0A (text formatting) with 3 octets.
        Assert.True(UserDataHeader.TryParse([0x05, 0x0A, 0x03, 0x00, 0x05, 0x10], out var header, out var error), error);

        Assert.Equal([new InformationElement(0x0A, [0x00, 0x05, 0x10])], header.Elements);
        Assert.Null(header.Concatenation);
        Assert.Equal(Gsm7Tables.Default, header.Tables);
    }

    [Theory]
    [InlineData("0424020101", "national language single shift element has length 2; expected 1")]
    [InlineData("022500", "national language locking shift element has length 0; expected 1")]
    public void A_national_language_element_of_the_wrong_length_is_a_malformed_header(string hex, string reason)
    {
        Assert.False(UserDataHeader.TryParse(Convert.FromHexString(hex), out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_language_identifier_with_no_table_reads_as_the_default_table()
    {
        Assert.True(UserDataHeader.TryParse([0x03, 0x24, 0x01, 0x7F], out var header, out var error), error);

        Assert.Equal(NationalLanguage.Default, header.SingleShift);
        Assert.Equal([new InformationElement(0x24, [0x7F])], header.Elements);
    }

    [Fact]
    public void Turkish_single_shift_in_the_udh_reads_escape_53_as_s_cedilla()
    {
        // UDHL 3, IEI 0x24 length 1 language 1 (Turkish); then ESC 0x53 (Ş in the Turkish single shift
        // table, TS 23.038 §A.2.1) and "ifreniz: 482913" in the default alphabet, one septet per octet.
        byte[] body = [0x03, 0x24, 0x01, 0x01, 0x1B, 0x53, .. Gsm7.Encode("ifreniz: 482913")];

        var content = ShortMessageContent.Decode(new DeliverSm { EsmClass = EsmClass.UdhIndicator, DataCoding = 0x00, ShortMessage = body });

        Assert.Equal("Şifreniz: 482913", content.Text);
        Assert.Empty(content.Flags);
    }

    [Fact]
    public void A_udh_declaring_more_octets_than_the_body_holds_leaves_the_body_raw_and_undecodable()
    {
        byte[] body = [0x0A, 0x00, 0x03, 0x01];

        var content = ShortMessageContent.Decode(new DeliverSm { EsmClass = EsmClass.UdhIndicator, DataCoding = 0x08, ShortMessage = body });

        Assert.Null(content.Text);
        Assert.Null(content.Header);
        Assert.Equal([BodyFlags.Undecodable], content.Flags);
        Assert.Equal(body, content.UserData);
        Assert.Contains("UDH length 10", content.Problem, StringComparison.Ordinal);
    }
}
