using Pool.Cli.Commands;

namespace Pool.EndToEnd.Tests;

/// <summary>How poolctl numbers import reads a CSV file: pure, no Pool needed.</summary>
public sealed class PoolCtlCsvTests
{
    private static CsvNumber[] Read(string csv) => [.. CsvNumbers.Read(new StringReader(csv))];

    [Fact]
    public void A_header_row_is_skipped_and_every_number_keeps_its_line()
    {
        var rows = Read("number,carrier\n+85260000001,csl\n+85260000002,csl\n");

        Assert.Equal([new CsvNumber(2, "+85260000001"), new CsvNumber(3, "+85260000002")], rows);
    }

    [Fact]
    public void A_first_row_holding_a_number_is_data_not_a_header()
    {
        var rows = Read("+85260000001\n+85260000002");

        Assert.Equal([new CsvNumber(1, "+85260000001"), new CsvNumber(2, "+85260000002")], rows);
    }

    [Fact]
    public void Blank_and_comment_lines_are_skipped_but_still_counted()
    {
        var rows = Read("# export of 2026-11-01\n\nnumber\n+85260000001\n   \n  # paused\n+85260000002\r\n");

        Assert.Equal([new CsvNumber(4, "+85260000001"), new CsvNumber(7, "+85260000002")], rows);
    }

    [Fact]
    public void A_comment_before_the_header_does_not_make_the_header_data()
    {
        var rows = Read("# numbers bought in November\n\"Number\",\"Note\"\n+85260000001,\n");

        Assert.Equal([new CsvNumber(3, "+85260000001")], rows);
    }

    [Fact]
    public void Quoted_cells_lose_their_quotes_and_keep_commas_and_doubled_quotes()
    {
        var rows = Read("\"+852 6000 0001\",\"Kowloon, HK\"\n\"+852\"\"60000002\",x\n");

        Assert.Equal([new CsvNumber(1, "+852 6000 0001"), new CsvNumber(2, "+852\"60000002")], rows);
    }

    [Fact]
    public void A_quoted_cell_spanning_lines_keeps_the_line_numbers_of_later_rows_right()
    {
        var rows = Read("number,note\n+85260000001,\"bought\nin bulk\"\n+85260000002,\n");

        Assert.Equal([new CsvNumber(2, "+85260000001"), new CsvNumber(4, "+85260000002")], rows);
    }

    [Fact]
    public void Only_the_first_cell_is_taken_and_it_is_trimmed()
    {
        var rows = Read("  +85260000001  , +85260000009 ,\"x\"\n\t\"+85260000002\" ,y\n");

        Assert.Equal([new CsvNumber(1, "+85260000001"), new CsvNumber(2, "+85260000002")], rows);
    }

    [Fact]
    public void A_row_with_an_empty_first_cell_is_kept_so_the_server_can_name_its_line()
    {
        var rows = Read("+85260000001\n,orphan note\n");

        Assert.Equal([new CsvNumber(1, "+85260000001"), new CsvNumber(2, "")], rows);
    }

    [Fact]
    public void A_byte_order_mark_does_not_turn_the_header_into_data()
    {
        var rows = Read("\uFEFFnumber\n+85260000001\n");

        Assert.Equal([new CsvNumber(2, "+85260000001")], rows);
    }

    [Fact]
    public void A_quoted_cell_that_never_closes_is_an_error_naming_the_line_it_starts_on()
    {
        var error = Assert.Throws<FormatException>(() => Read("number\n+85260000001\n\"+85260000002,x\n+85260000003\n"));

        Assert.StartsWith("line 3: a quoted cell is not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error_naming_its_line()
    {
        var error = Assert.Throws<FormatException>(() => Read("+85260000001\n\"+852\"60000002\n"));

        Assert.StartsWith("line 2: unexpected '6' after a quoted cell", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_or_a_header_alone_holds_no_numbers()
    {
        Assert.Empty(Read(""));
        Assert.Empty(Read("number\n\n# nothing yet\n"));
    }

    [Theory]
    [InlineData("+85260000001", true)]
    [InlineData("85260000001", true)]
    [InlineData("+852 6000-0001", true)]
    [InlineData("(852) 6000.0001", true)]
    [InlineData("12345", true)]
    [InlineData("number", false)]
    [InlineData("E.164", false)]
    [InlineData("+", false)]
    [InlineData("", false)]
    [InlineData("tel:+85260000001", false)]
    public void Only_digits_with_the_usual_separators_look_like_a_phone_number(string cell, bool expected) =>
        Assert.Equal(expected, CsvNumbers.LooksLikeAPhoneNumber(cell));

    [Theory]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("0m")]
    [InlineData("00:00:00")]
    public void A_zero_duration_parses_only_where_zero_is_allowed(string text)
    {
        Assert.True(Durations.TryParse(text, out var zero, allowZero: true));
        Assert.Equal(TimeSpan.Zero, zero);
        Assert.False(Durations.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90, "1m30s")]
    [InlineData(1200, "20m")]
    [InlineData(7200, "2h")]
    [InlineData(2_592_000, "30d")]
    [InlineData(93_784, "1d2h3m4s")]
    public void Durations_print_the_way_operators_type_them(int seconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromSeconds(seconds)));
}
