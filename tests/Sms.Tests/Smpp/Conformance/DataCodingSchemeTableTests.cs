using Pool.Sms.Encoding;

namespace Pool.Sms.Tests.Smpp.Conformance;

/// <summary>
/// All 256 data_coding values against the specifications' tables, written as their bit patterns (bit 7
/// first): SMPP 3.4 §5.2.19 for 0000xxxx, 3GPP TS 23.038 §4 for the coding groups above. In a pattern,
/// 'x' is any bit, 'c' the message class bits, 's' the MWI sense bit (1 = set the indication) and 'k'
/// the MWI kind bits.
/// </summary>
public sealed class DataCodingSchemeTableTests
{
    private sealed record Row(string Pattern, Charset Charset, bool Compressed = false, bool AutoDelete = false, string? Mwi = null, bool Reserved = false);

    private static readonly Row[] s_table =
    [
        // SMPP 3.4 §5.2.19.
        new("00000000", Charset.Gsm7),
        new("00000001", Charset.Ascii),
        new("00000010", Charset.Octet),
        new("00000011", Charset.Latin1),
        new("00000100", Charset.Octet),
        new("00000101", Charset.Jis),
        new("00000110", Charset.Cyrillic),
        new("00000111", Charset.LatinHebrew),
        new("00001000", Charset.Ucs2),
        new("00001001", Charset.Pictogram),
        new("00001010", Charset.Iso2022Jp),
        new("00001011", Charset.Reserved, Reserved: true),
        new("00001100", Charset.Reserved, Reserved: true),
        new("00001101", Charset.ExtendedKanjiJis),
        new("00001110", Charset.KsC5601),
        new("00001111", Charset.Reserved, Reserved: true),

        // TS 23.038 §4, 00xx general data coding (0001 with class meaning; 0000 is SMPP's own above).
        new("000100cc", Charset.Gsm7),
        new("000101cc", Charset.Octet),
        new("000110cc", Charset.Ucs2),
        new("000111cc", Charset.Reserved, Reserved: true),
        new("001000xx", Charset.Gsm7, Compressed: true),
        new("001001xx", Charset.Octet, Compressed: true),
        new("001010xx", Charset.Ucs2, Compressed: true),
        new("001011xx", Charset.Reserved, Compressed: true, Reserved: true),
        new("001100cc", Charset.Gsm7, Compressed: true),
        new("001101cc", Charset.Octet, Compressed: true),
        new("001110cc", Charset.Ucs2, Compressed: true),
        new("001111cc", Charset.Reserved, Compressed: true, Reserved: true),

        // 01xx message marked for automatic deletion: bits 5..0 as in 00xx.
        new("010000xx", Charset.Gsm7, AutoDelete: true),
        new("010001xx", Charset.Octet, AutoDelete: true),
        new("010010xx", Charset.Ucs2, AutoDelete: true),
        new("010011xx", Charset.Reserved, AutoDelete: true, Reserved: true),
        new("010100cc", Charset.Gsm7, AutoDelete: true),
        new("010101cc", Charset.Octet, AutoDelete: true),
        new("010110cc", Charset.Ucs2, AutoDelete: true),
        new("010111cc", Charset.Reserved, AutoDelete: true, Reserved: true),
        new("011000xx", Charset.Gsm7, Compressed: true, AutoDelete: true),
        new("011001xx", Charset.Octet, Compressed: true, AutoDelete: true),
        new("011010xx", Charset.Ucs2, Compressed: true, AutoDelete: true),
        new("011011xx", Charset.Reserved, Compressed: true, AutoDelete: true, Reserved: true),
        new("011100cc", Charset.Gsm7, Compressed: true, AutoDelete: true),
        new("011101cc", Charset.Octet, Compressed: true, AutoDelete: true),
        new("011110cc", Charset.Ucs2, Compressed: true, AutoDelete: true),
        new("011111cc", Charset.Reserved, Compressed: true, AutoDelete: true, Reserved: true),

        // 1000..1011 reserved coding groups.
        new("10xxxxxx", Charset.Reserved, Reserved: true),

        // 1100 MWI discard (default alphabet), 1101 MWI store (default alphabet), 1110 MWI store (UCS2).
        new("1100sxkk", Charset.Gsm7, Mwi: "discard"),
        new("1101sxkk", Charset.Gsm7, Mwi: "store"),
        new("1110sxkk", Charset.Ucs2, Mwi: "store"),

        // 1111 data coding / message class: bit 2 default alphabet or 8-bit data, bits 1-0 the class.
        new("1111x0cc", Charset.Gsm7),
        new("1111x1cc", Charset.Octet),
    ];

    public static TheoryData<int> AllValues => [.. Enumerable.Range(0, 256)];

    [Theory]
    [MemberData(nameof(AllValues))]
    public void Every_data_coding_value_parses_as_the_specification_table_row_it_matches(int value)
    {
        var bits = Convert.ToString(value, 2).PadLeft(8, '0');
        var rows = s_table.Where(r => Matches(r.Pattern, bits)).ToList();
        Assert.True(rows.Count == 1, $"0x{value:X2} ({bits}) matches {rows.Count} rows of the table; the table must cover each value once");
        var row = rows[0];

        var scheme = DataCodingScheme.Parse((byte)value);

        Assert.Equal((byte)value, scheme.DataCoding);
        Assert.Equal(row.Charset, scheme.Charset);
        Assert.Equal(row.Compressed, scheme.Compressed);
        Assert.Equal(row.AutoDelete, scheme.AutomaticDeletion);
        Assert.Equal(row.Reserved, scheme.IsReserved);
        Assert.Equal(Field(row.Pattern, bits, 'c'), scheme.MessageClass);
        if (row.Mwi is null)
        {
            Assert.Null(scheme.MessageWaiting);
        }
        else
        {
            var expected = new MessageWaiting(Field(row.Pattern, bits, 's') == 1, (MessageWaitingKind)Field(row.Pattern, bits, 'k')!.Value, row.Mwi == "store");
            Assert.Equal(expected, scheme.MessageWaiting);
        }
    }

    [Theory]
    [InlineData(0xF0, Charset.Gsm7, 0)]
    [InlineData(0xF1, Charset.Gsm7, 1)]
    [InlineData(0xF2, Charset.Gsm7, 2)]
    [InlineData(0xF3, Charset.Gsm7, 3)]
    [InlineData(0xF4, Charset.Octet, 0)]
    [InlineData(0xF6, Charset.Octet, 2)]
    [InlineData(0x10, Charset.Gsm7, 0)]
    [InlineData(0x18, Charset.Ucs2, 0)]
    [InlineData(0x15, Charset.Octet, 1)]
    public void Coding_group_1111_and_general_coding_with_class_meaning_give_the_message_class(int value, Charset charset, int messageClass)
    {
        var scheme = DataCodingScheme.Parse((byte)value);

        Assert.Equal((charset, messageClass), (scheme.Charset, scheme.MessageClass));
    }

    [Fact]
    public void Data_coding_0xC8_is_an_active_voicemail_indication_the_handset_may_discard()
    {
        Assert.Equal(new MessageWaiting(Active: true, MessageWaitingKind.Voicemail, Store: false), DataCodingScheme.Parse(0xC8).MessageWaiting);
        Assert.Equal(new MessageWaiting(Active: false, MessageWaitingKind.Email, Store: true), DataCodingScheme.Parse(0xD2).MessageWaiting);
        Assert.Equal(new MessageWaiting(Active: true, MessageWaitingKind.Other, Store: true), DataCodingScheme.Parse(0xEB).MessageWaiting);
    }

    private static bool Matches(string pattern, string bits) =>
        pattern.Zip(bits).All(p => p.First is not ('0' or '1') || p.First == p.Second);

    private static int? Field(string pattern, string bits, char name)
    {
        var value = 0;
        var found = false;
        for (var i = 0; i < 8; i++)
        {
            if (pattern[i] == name)
            {
                value = (value << 1) | (bits[i] - '0');
                found = true;
            }
        }

        return found ? value : null;
    }
}
