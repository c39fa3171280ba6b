using Pool.Sms.Encoding;

namespace Pool.Sms.Tests.Encoding;

public sealed class Gsm7NationalLanguageTests
{
    private static readonly NationalLanguage[] s_languages =
        [.. Enum.GetValues<NationalLanguage>().Where(l => l != NationalLanguage.Default)];

    [Fact]
    public void Turkish_single_shift_decodes_S_cedilla()
    {
        // TS 23.038 A.2.1: 0x53 after an escape is U+015E; the default extension table leaves it undefined.
        var septets = new byte[] { 0x1B, 0x53 };
        Assert.Equal("\u015E", Gsm7.Decode(septets, new Gsm7Tables(NationalLanguage.Default, NationalLanguage.Turkish)));
        Assert.Equal("S", Gsm7.Decode(septets));
    }

    [Fact]
    public void Turkish_locking_shift_decodes_dotless_i_at_0x07()
    {
        // TS 23.038 A.3.1: 0x07 is U+0131 where the default alphabet has 'ì'.
        var septets = new byte[] { 0x07 };
        Assert.Equal("\u0131", Gsm7.Decode(septets, new Gsm7Tables(NationalLanguage.Turkish, NationalLanguage.Default)));
        Assert.Equal("ì", Gsm7.Decode(septets));
    }

    [Theory]
    [InlineData(NationalLanguage.Turkish, 0x04, "\u20AC")]
    [InlineData(NationalLanguage.Turkish, 0x07, "\u0131")]
    [InlineData(NationalLanguage.Turkish, 0x1C, "\u015E")]
    [InlineData(NationalLanguage.Turkish, 0x40, "\u0130")]
    [InlineData(NationalLanguage.Turkish, 0x60, "\u00E7")]
    [InlineData(NationalLanguage.Turkish, 0x7F, "\u00E0")]
    [InlineData(NationalLanguage.Portuguese, 0x04, "\u00EA")]
    [InlineData(NationalLanguage.Portuguese, 0x12, "\u00AA")]
    [InlineData(NationalLanguage.Portuguese, 0x15, "\u221E")]
    [InlineData(NationalLanguage.Portuguese, 0x24, "\u00BA")]
    [InlineData(NationalLanguage.Portuguese, 0x60, "~")]
    [InlineData(NationalLanguage.Portuguese, 0x7D, "`")]
    [InlineData(NationalLanguage.Bengali, 0x00, "\u0981")]
    [InlineData(NationalLanguage.Bengali, 0x1F, "\u099E")]
    [InlineData(NationalLanguage.Bengali, 0x2C, ",")]
    [InlineData(NationalLanguage.Bengali, 0x60, "\u09CE")]
    [InlineData(NationalLanguage.Bengali, 0x7F, "\u09F1")]
    [InlineData(NationalLanguage.Gujarati, 0x0C, "\u0A8D")]
    [InlineData(NationalLanguage.Gujarati, 0x11, "\u0A91")]
    [InlineData(NationalLanguage.Gujarati, 0x57, "\u0AC5")]
    [InlineData(NationalLanguage.Gujarati, 0x60, "\u0AD0")]
    [InlineData(NationalLanguage.Gujarati, 0x7F, "\u0AF1")]
    [InlineData(NationalLanguage.Hindi, 0x0E, "\u090E")]
    [InlineData(NationalLanguage.Hindi, 0x3C, "\u0929")]
    [InlineData(NationalLanguage.Hindi, 0x60, "\u0950")]
    [InlineData(NationalLanguage.Hindi, 0x7B, "\u0972")]
    [InlineData(NationalLanguage.Hindi, 0x7F, "\u097F")]
    [InlineData(NationalLanguage.Kannada, 0x01, "\u0C82")]
    [InlineData(NationalLanguage.Kannada, 0x24, "\u0CA1")]
    [InlineData(NationalLanguage.Kannada, 0x3D, "\u0CAA")]
    [InlineData(NationalLanguage.Kannada, 0x60, "\u0CD5")]
    [InlineData(NationalLanguage.Kannada, 0x7F, "\u0CE3")]
    [InlineData(NationalLanguage.Malayalam, 0x01, "\u0D02")]
    [InlineData(NationalLanguage.Malayalam, 0x44, "\u0D30")]
    [InlineData(NationalLanguage.Malayalam, 0x60, "\u0D57")]
    [InlineData(NationalLanguage.Malayalam, 0x7F, "\u0D79")]
    [InlineData(NationalLanguage.Oriya, 0x00, "\u0B01")]
    [InlineData(NationalLanguage.Oriya, 0x2F, "\u0B28")]
    [InlineData(NationalLanguage.Oriya, 0x60, "\u0B56")]
    [InlineData(NationalLanguage.Oriya, 0x7B, "\u0B57")]
    [InlineData(NationalLanguage.Punjabi, 0x00, "\u0A01")]
    [InlineData(NationalLanguage.Punjabi, 0x4E, "\u0A3C")]
    [InlineData(NationalLanguage.Punjabi, 0x60, "\u0A51")]
    [InlineData(NationalLanguage.Punjabi, 0x7F, "\u0A74")]
    [InlineData(NationalLanguage.Tamil, 0x01, "\u0B82")]
    [InlineData(NationalLanguage.Tamil, 0x3C, "\u0BA9")]
    [InlineData(NationalLanguage.Tamil, 0x60, "\u0BD0")]
    [InlineData(NationalLanguage.Tamil, 0x7F, "\u0BF9")]
    [InlineData(NationalLanguage.Telugu, 0x00, "\u0C01")]
    [InlineData(NationalLanguage.Telugu, 0x4C, "\u0C38")]
    [InlineData(NationalLanguage.Telugu, 0x60, "\u0C55")]
    [InlineData(NationalLanguage.Telugu, 0x7F, "\u0C63")]
    [InlineData(NationalLanguage.Urdu, 0x00, "\u0627")]
    [InlineData(NationalLanguage.Urdu, 0x01, "\u0622")]
    [InlineData(NationalLanguage.Urdu, 0x58, "\u0621")]
    [InlineData(NationalLanguage.Urdu, 0x60, "\u0654")]
    [InlineData(NationalLanguage.Urdu, 0x7F, "\u0670")]
    public void Locking_shift_tables_hold_the_characters_of_annex_A3(NationalLanguage language, int position, string expected)
    {
        Assert.True(Gsm7NationalTables.TryGetLockingShiftTable(language, out var table), $"{language} has a locking shift table");
        Assert.Equal(expected[0], table[position]);
        var tables = new Gsm7Tables(language, NationalLanguage.Default);
        Assert.Equal(expected, Gsm7.Decode([(byte)position], tables));
    }

    [Theory]
    [InlineData(NationalLanguage.Turkish, 0x0A, "\f")]
    [InlineData(NationalLanguage.Turkish, 0x47, "\u011E")]
    [InlineData(NationalLanguage.Turkish, 0x53, "\u015E")]
    [InlineData(NationalLanguage.Turkish, 0x63, "\u00E7")]
    [InlineData(NationalLanguage.Turkish, 0x73, "\u015F")]
    [InlineData(NationalLanguage.Turkish, 0x69, "\u0131")]
    [InlineData(NationalLanguage.Spanish, 0x09, "\u00E7")]
    [InlineData(NationalLanguage.Spanish, 0x41, "\u00C1")]
    [InlineData(NationalLanguage.Spanish, 0x61, "\u00E1")]
    [InlineData(NationalLanguage.Spanish, 0x75, "\u00FA")]
    [InlineData(NationalLanguage.Portuguese, 0x05, "\u00EA")]
    [InlineData(NationalLanguage.Portuguese, 0x12, "\u03A6")]
    [InlineData(NationalLanguage.Portuguese, 0x1F, "\u00CA")]
    [InlineData(NationalLanguage.Portuguese, 0x61, "\u00C2")]
    [InlineData(NationalLanguage.Portuguese, 0x7F, "\u00E2")]
    [InlineData(NationalLanguage.Bengali, 0x19, "\u09E6")]
    [InlineData(NationalLanguage.Bengali, 0x2C, "\u09F3")]
    [InlineData(NationalLanguage.Bengali, 0x34, "\u09FA")]
    [InlineData(NationalLanguage.Bengali, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Gujarati, 0x19, "\u0964")]
    [InlineData(NationalLanguage.Gujarati, 0x1C, "\u0AE6")]
    [InlineData(NationalLanguage.Gujarati, 0x25, "\u0AEF")]
    [InlineData(NationalLanguage.Gujarati, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Hindi, 0x1C, "\u0966")]
    [InlineData(NationalLanguage.Hindi, 0x26, "\u0951")]
    [InlineData(NationalLanguage.Hindi, 0x3A, "\u0971")]
    [InlineData(NationalLanguage.Hindi, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Kannada, 0x1C, "\u0CE6")]
    [InlineData(NationalLanguage.Kannada, 0x26, "\u0CDE")]
    [InlineData(NationalLanguage.Kannada, 0x2A, "\u0CF2")]
    [InlineData(NationalLanguage.Kannada, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Malayalam, 0x1C, "\u0D66")]
    [InlineData(NationalLanguage.Malayalam, 0x2E, "\u0D7A")]
    [InlineData(NationalLanguage.Malayalam, 0x34, "\u0D7F")]
    [InlineData(NationalLanguage.Malayalam, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Oriya, 0x1C, "\u0B66")]
    [InlineData(NationalLanguage.Oriya, 0x20, "\u0B6A")]
    [InlineData(NationalLanguage.Oriya, 0x2C, "\u0B71")]
    [InlineData(NationalLanguage.Oriya, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Punjabi, 0x1C, "\u0A66")]
    [InlineData(NationalLanguage.Punjabi, 0x26, "\u0A59")]
    [InlineData(NationalLanguage.Punjabi, 0x2D, "\u0A75")]
    [InlineData(NationalLanguage.Punjabi, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Tamil, 0x1C, "\u0BE6")]
    [InlineData(NationalLanguage.Tamil, 0x24, "\u0BEE")]
    [InlineData(NationalLanguage.Tamil, 0x2E, "\u0BFA")]
    [InlineData(NationalLanguage.Tamil, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Telugu, 0x1C, "\u0C66")]
    [InlineData(NationalLanguage.Telugu, 0x26, "\u0C58")]
    [InlineData(NationalLanguage.Telugu, 0x30, "\u0C7D")]
    [InlineData(NationalLanguage.Telugu, 0x65, "\u20AC")]
    [InlineData(NationalLanguage.Urdu, 0x19, "\u0600")]
    [InlineData(NationalLanguage.Urdu, 0x26, "\u060C")]
    [InlineData(NationalLanguage.Urdu, 0x3F, "\u06D4")]
    [InlineData(NationalLanguage.Urdu, 0x65, "\u20AC")]
    public void Single_shift_tables_hold_the_characters_of_annex_A2(NationalLanguage language, int position, string expected)
    {
        Assert.True(Gsm7NationalTables.TryGetSingleShiftTable(language, out var table), $"{language} has a single shift table");
        Assert.Equal(expected[0], table[position]);
        var tables = new Gsm7Tables(NationalLanguage.Default, language);
        Assert.Equal(expected, Gsm7.Decode([Gsm7.Escape, (byte)position], tables));
    }

    [Fact]
    public void Every_language_but_Spanish_has_both_table_kinds_and_Spanish_only_a_single_shift_table()
    {
        foreach (var language in s_languages)
        {
            Assert.True(Gsm7NationalTables.TryGetSingleShiftTable(language, out _), $"{language} has a single shift table (A.2)");
            Assert.Equal(language != NationalLanguage.Spanish, Gsm7NationalTables.TryGetLockingShiftTable(language, out _));
        }

        Assert.False(Gsm7NationalTables.TryGetLockingShiftTable(NationalLanguage.Default, out _));
        Assert.False(Gsm7NationalTables.TryGetSingleShiftTable(NationalLanguage.Default, out _));
    }

    [Fact]
    public void Every_locking_shift_table_has_128_entries_with_the_escape_at_0x1B()
    {
        foreach (var language in s_languages.Where(l => l != NationalLanguage.Spanish))
        {
            Assert.True(Gsm7NationalTables.TryGetLockingShiftTable(language, out var table));
            Assert.Equal(Gsm7NationalTables.TableLength, table.Length);
            Assert.Equal((char)Gsm7.Escape, table[Gsm7.Escape]);

            // The positions every table of A.3 shares with the default alphabet.
            Assert.Equal('\n', table[0x0A]);
            Assert.Equal('\r', table[0x0D]);
            Assert.Equal(' ', table[0x20]);
            Assert.Equal("0123456789", table[0x30..0x3A]);
            Assert.Equal("abcdefghijklmnopqrstuvwxyz", table[0x61..0x7B]);

            // A locking shift table is the whole alphabet: no character sits at two positions.
            var defined = table.Where(c => c != Gsm7NationalTables.Undefined).ToList();
            Assert.True(defined.Count == defined.Distinct().Count(), $"{language} defines a character twice");
        }
    }

    [Fact]
    public void Every_single_shift_table_has_128_entries_and_leaves_0x1B_to_the_escape_rule()
    {
        foreach (var language in s_languages)
        {
            Assert.True(Gsm7NationalTables.TryGetSingleShiftTable(language, out var table));
            Assert.Equal(Gsm7NationalTables.TableLength, table.Length);
            Assert.Equal(Gsm7NationalTables.Undefined, table[Gsm7.Escape]);

            // Every table of A.2 keeps the page break and the euro sign of the default extension table.
            Assert.Equal('\f', table[0x0A]);
            Assert.Equal('€', table[0x65]);
        }
    }

    [Fact]
    public void Spanish_locking_shift_keeps_the_default_alphabet()
    {
        // A.3.2 is void: a locking shift IE naming Spanish leaves the default alphabet in force.
        var septets = Gsm7.Encode("Año 2024: ¿Qué tal? àèìòù");
        var tables = new Gsm7Tables(NationalLanguage.Spanish, NationalLanguage.Default);
        Assert.Equal(Gsm7.Decode(septets), Gsm7.Decode(septets, tables));
        Assert.Equal("ì", Gsm7.Decode([0x07], tables));
    }

    [Fact]
    public void Default_single_shift_keeps_the_default_extension_table_under_a_locking_shift()
    {
        var tables = new Gsm7Tables(NationalLanguage.Portuguese, NationalLanguage.Default);
        Assert.Equal("€{}", Gsm7.Decode([0x1B, 0x65, 0x1B, 0x28, 0x1B, 0x29], tables));

        // Portuguese locking shift 0x04 is 'ê' where the default alphabet has 'è'.
        Assert.Equal("ê", Gsm7.Decode([0x04], tables));
    }

    [Fact]
    public void Spanish_single_shift_and_Turkish_locking_shift_combine()
    {
        // ESC 0x09 is 'ç' in A.2.2; ESC 0x07 is undefined there, so the Turkish main table's 'ı' shows.
        var tables = new Gsm7Tables(NationalLanguage.Turkish, NationalLanguage.Spanish);
        Assert.Equal("ç\u0131\u0131", Gsm7.Decode([0x1B, 0x09, 0x1B, 0x07, 0x07], tables));
    }

    [Theory]
    [InlineData((byte)0)]
    [InlineData((byte)14)]
    [InlineData((byte)255)]
    public void A_reserved_or_default_language_identifier_keeps_the_default_tables(byte identifier)
    {
        var septets = Gsm7.Encode("Price: 5€ [ok] àèìòù ÆØÅ");
        var tables = new Gsm7Tables((NationalLanguage)identifier, (NationalLanguage)identifier);
        Assert.Equal("Price: 5€ [ok] àèìòù ÆØÅ", Gsm7.Decode(septets, tables));
    }

    [Fact]
    public void An_escape_before_a_value_the_extension_table_lacks_shows_the_main_table_character()
    {
        // TS 23.038 §6.2.1.1: the receiver shows the main table's character for the second septet.
        byte[] septets = [.. Gsm7.Encode("Code 12"), Gsm7.Escape, .. Gsm7.Encode("3456")];
        Assert.Equal("Code 123456", Gsm7.Decode(septets));
        Assert.True(Gsm7.TryDecode(septets, Gsm7Tables.Default, out var text, out var invalid), $"invalid septet at {invalid}");
        Assert.Equal("Code 123456", text);
        Assert.Equal(-1, invalid);
    }

    [Fact]
    public void An_escape_before_a_value_the_single_shift_table_lacks_shows_the_locking_shift_character()
    {
        // Hindi single shift (A.2.6) leaves 0x60 undefined; the Hindi locking shift table (A.3.6) has U+0950 there.
        var tables = new Gsm7Tables(NationalLanguage.Hindi, NationalLanguage.Hindi);
        Assert.Equal("\u0950", Gsm7.Decode([0x1B, 0x60], tables));
        Assert.True(Gsm7.TryDecode([0x1B, 0x60], tables, out var text, out _));
        Assert.Equal("\u0950", text);
    }

    [Fact]
    public void An_escape_before_an_escape_shows_a_space_and_the_next_septet_reads_normally()
    {
        // TS 23.038 §6.2.1.1: 1B 1B is reserved for a further extension table; a receiver shows a space.
        byte[] septets = [0x41, 0x1B, 0x1B, 0x42];
        Assert.Equal("A B", Gsm7.Decode(septets));
        Assert.Equal("A B", Gsm7.Decode(septets, new Gsm7Tables(NationalLanguage.Turkish, NationalLanguage.Turkish)));
        Assert.True(Gsm7.TryDecode(septets, out var text, out _));
        Assert.Equal("A B", text);
    }

    [Fact]
    public void A_dangling_escape_shows_a_space_and_is_refused_strictly()
    {
        // Urdu locking shift (A.3.13) 0x00 is U+0627.
        byte[] septets = [0x00, 0x1B];
        var tables = new Gsm7Tables(NationalLanguage.Urdu, NationalLanguage.Urdu);
        Assert.Equal("\u0627 ", Gsm7.Decode(septets, tables));
        Assert.False(Gsm7.TryDecode(septets, tables, out var text, out var invalid));
        Assert.Null(text);
        Assert.Equal(1, invalid);
    }

    [Fact]
    public void A_position_the_locking_shift_table_leaves_undefined_decodes_to_a_question_mark_and_is_refused_strictly()
    {
        // A.3.4 defines nothing at 0x11 (Bengali).
        byte[] septets = [0x00, 0x11, 0x00];
        var tables = new Gsm7Tables(NationalLanguage.Bengali, NationalLanguage.Default);
        Assert.Equal("\u0981?\u0981", Gsm7.Decode(septets, tables));
        Assert.False(Gsm7.TryDecode(septets, tables, out _, out var invalid));
        Assert.Equal(1, invalid);
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x80 }, "A?", 1)]
    [InlineData(new byte[] { 0x41, 0x1B, 0xC1, 0x42 }, "A?B", 1)]
    public void Bytes_above_0x7F_decode_to_a_question_mark_and_are_refused_strictly(byte[] septets, string lenient, int position)
    {
        var tables = new Gsm7Tables(NationalLanguage.Turkish, NationalLanguage.Turkish);
        Assert.Equal(lenient, Gsm7.Decode(septets, tables));
        Assert.False(Gsm7.TryDecode(septets, tables, out var text, out var invalid));
        Assert.Null(text);
        Assert.Equal(position, invalid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public void Packed_septets_decode_with_the_national_tables(int fillBits)
    {
        // "नमस्ते १२": Hindi letters from A.3.6, the space from the same table, Devanagari digits after escapes from A.2.6.
        byte[] septets = [0x2F, 0x42, 0x4C, 0x5F, 0x27, 0x59, 0x20, 0x1B, 0x1D, 0x1B, 0x1E];
        const string expected = "\u0928\u092E\u0938\u094D\u0924\u0947 \u0967\u0968";
        var tables = new Gsm7Tables(NationalLanguage.Hindi, NationalLanguage.Hindi);
        var packed = Gsm7.Pack(septets, fillBits);

        Assert.Equal(expected, Gsm7.DecodePacked(packed, septets.Length, fillBits, tables));
        Assert.True(Gsm7.TryDecodePacked(packed, septets.Length, fillBits, tables, out var text, out var invalid), $"invalid septet at {invalid}");
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Packed_Turkish_text_decodes_from_known_octets()
    {
        // "Şişli ılık" with the Turkish locking shift table: Ş 0x1C, ş 0x1D, ı 0x07, the rest as in the
        // default alphabet; packed by hand, least significant bit first.
        var packed = Convert.FromHexString("9C74879D061DD88735");
        var tables = new Gsm7Tables(NationalLanguage.Turkish, NationalLanguage.Default);
        Assert.Equal("\u015Ei\u015Fli \u0131l\u0131k", Gsm7.DecodePacked(packed, 10, 0, tables));
    }
}
