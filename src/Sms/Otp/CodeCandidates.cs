using System.Text.RegularExpressions;

namespace Pool.Sms.Otp;

/// <summary>
/// Finds what could be a code: 4–8 digits, 3-3 split forms ("123-456", "123 456"), a letter prefix kept
/// out ("G-123456"), and alphanumeric codes right after a keyword. Boundaries are lookarounds on ASCII and
/// Cyrillic letters and digits only, so a code glued to Chinese text ("验证码868303") is still found.
/// </summary>
internal static partial class CodeCandidates
{
    /// <summary>
    /// The candidates of <paramref name="text"/> that no trap rules out, in text order; <paramref name="numbers"/>
    /// counts every number that looked like a code before the traps (outside brands), so a lone code is told from a guess.
    /// </summary>
    public static List<CodeCandidate> In(string text, MatchCollection keywords, IReadOnlyList<Range> brands, out int numbers)
    {
        var candidates = new List<CodeCandidate>();
        foreach (Match match in SplitCode().Matches(text))
        {
            candidates.Add(new(match.Index, match.Index + match.Length, match.Groups["a"].Value + match.Groups["b"].Value, Alphanumeric: false));
        }

        foreach (Match match in DigitCode().Matches(text))
        {
            if (!candidates.Exists(c => c.Start < match.Index + match.Length && match.Index < c.End))
            {
                candidates.Add(new(match.Index, match.Index + match.Length, match.Value, Alphanumeric: false));
            }
        }

        foreach (Match keyword in keywords)
        {
            var after = AlphanumericAfterKeyword().Match(text, keyword.Index + keyword.Length);
            if (after.Success)
            {
                var code = after.Groups["code"];
                candidates.Add(new(code.Index, code.Index + code.Length, code.Value, Alphanumeric: true));
            }
        }

        var phones = PhoneNumber().Matches(text).Where(IsPhoneNumber).Select(m => new Range(m.Index, m.Index + m.Length)).ToList();
        candidates.RemoveAll(c => Inside(c, brands));
        numbers = candidates.Count(c => !c.Alphanumeric);
        candidates.RemoveAll(c => Inside(c, phones) || CodeTraps.IsTrap(text, c.Start, c.End));
        candidates.Sort((a, b) => a.Start.CompareTo(b.Start));
        return candidates;
    }

    private static bool Inside(CodeCandidate candidate, IReadOnlyList<Range> spans)
    {
        foreach (var span in spans)
        {
            if (candidate.Start < span.End.Value && span.Start.Value < candidate.End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Nine or more digits in a row of digits, spaces, dashes and brackets, or seven or more after '+'.</summary>
    private static bool IsPhoneNumber(Match match)
    {
        var digits = match.Value.Count(char.IsAsciiDigit);
        return digits >= 9 || (match.Value[0] == '+' && digits >= 7);
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z\p{IsCyrillic}]|[0-9][.,:/\- ]|\+)(?<a>[0-9]{3})[\- ](?<b>[0-9]{3})(?![0-9A-Za-z\p{IsCyrillic}]|[.:/\- ][0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex SplitCode();

    [GeneratedRegex(@"(?<![0-9A-Za-z\p{IsCyrillic}]|[0-9][.,:/\-]|\+)[0-9]{4,8}(?![0-9A-Za-z\p{IsCyrillic}]|[.:/\-][0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex DigitCode();

    [GeneratedRegex(@"\G\s*(?:(?i:is|es|é|was)(?![A-Za-z])|[:：=为是為])?\s*[:：]?\s*(?<code>(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{4,8})(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex AlphanumericAfterKeyword();

    [GeneratedRegex(@"(?:\+|(?<![0-9A-Za-z]))\(?[0-9][0-9\- ().]{5,}[0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneNumber();
}
