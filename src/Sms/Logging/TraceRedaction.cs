using System.Text.RegularExpressions;
using Pool.Sms.Numbers;

namespace Pool.Sms.Logging;

/// <summary>
/// Masks phone numbers in text a trace span carries (its name, tag values, event texts, status description),
/// whoever wrote it: Orleans names grain ids ("number/+85251234567"), ASP.NET Core and HttpClient record paths
/// and query strings ("?to=%2B85251234567"), SMPP addresses come without '+'. Masked: every E.164 number
/// ('+' and 7–15 digits, as <see cref="LogRedaction.MaskNumbers"/>), the same after a URL-encoded '+' ("%2B"),
/// and every run of 7 or more digits that stands alone (not part of a word or a hex id such as "mo-3fa9…").
/// </summary>
public static partial class TraceRedaction
{
    /// <summary><paramref name="text"/> with every phone number in it masked (the same string when there is none).</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NeedsMasking(text) ? Number().Replace(text, MaskMatch) : text;
    }

    /// <summary>Whether <paramref name="text"/> holds something <see cref="Mask"/> would change (cheap for short text without digit runs).</summary>
    public static bool NeedsMasking(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var run = 0;
        foreach (var c in text)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            if (run >= 7)
            {
                return Number().IsMatch(text);
            }
        }

        return false;
    }

    private static string MaskMatch(Match match)
    {
        var prefix = match.Groups["prefix"].Value;
        var digits = match.Groups["digits"].Value;
        return prefix + E164.Mask("+" + digits)[1..];
    }

    // A '+' or "%2B" then 7–15 digits; or a run of 7+ digits with no letter or digit on either side.
    [GeneratedRegex(@"(?<prefix>\+|%2[Bb])(?<digits>\d{7,15})(?!\d)|(?<prefix>)(?<![0-9A-Za-z])(?<digits>\d{7,})(?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
