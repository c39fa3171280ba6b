using Pool.Sms.Encoding;
using Pool.Sms.Logging;

namespace Pool.Sms.Tests;

/// <summary>Carrier text Pool can store, and carrier values its logs can quote safely.</summary>
public sealed class StoredTextTests
{
    // Built from chars: test data with a lone surrogate would not survive the test runner's serialisation.
    [Fact]
    public void A_NUL_and_an_unpaired_surrogate_become_the_replacement_character()
    {
        var high = (char)0xD83D;
        var low = (char)0xDE00;

        Assert.Equal("code 660001 \uFFFD x", StoredText.Clean("code 660001 \0 x"));
        Assert.Equal("half \uFFFD", StoredText.Clean("half " + high));
        Assert.Equal("\uFFFD low first", StoredText.Clean(low + " low first"));
        Assert.Equal("emoji " + high + low + " stays", StoredText.Clean("emoji " + high + low + " stays"));
        Assert.Equal("\uFFFD\uFFFD", StoredText.Clean(string.Concat(low, high)));
        Assert.Same("plain", StoredText.Clean("plain"));
    }

    [Fact]
    public void UCS2_with_half_a_surrogate_pair_decodes_without_failing()
    {
        var text = Ucs2.Decode([0x00, 0x32, 0xD8, 0x3D]);

        Assert.Equal("2\uFFFD", text);
        Assert.Equal("2\uFFFD".Normalize(System.Text.NormalizationForm.FormKC), text.Normalize(System.Text.NormalizationForm.FormKC));
    }

    [Fact]
    public void A_quoted_value_cannot_forge_a_log_line_nor_show_a_number_nor_run_on()
    {
        var injected = "z\0\n2026-12-01 info Pool.Fake INJECTED to 85251234567 \u001b[31mred";

        var quoted = LogRedaction.Quote(injected, 200);
        var bounded = LogRedaction.Quote(new string('x', 10_000));

        Assert.DoesNotContain('\n', quoted);
        Assert.DoesNotContain('\0', quoted);
        Assert.DoesNotContain('\u001b', quoted);
        Assert.Contains("\\u000A", quoted, StringComparison.Ordinal);
        Assert.DoesNotContain("85251234567", quoted, StringComparison.Ordinal);
        Assert.Contains("…(+9936)", bounded, StringComparison.Ordinal);
        Assert.True(bounded.Length < 100);
    }
}
