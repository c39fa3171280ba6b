using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pool.Sms.Otp;

/// <summary>The WebOTP last line, "@example.com #123456" (optionally "@top.com #123456 @embedded.com"): the origin and its code.</summary>
internal static partial class WebOtp
{
    public static bool TryParse(string text, [NotNullWhen(true)] out string? domain, [NotNullWhen(true)] out string? code)
    {
        var match = text.Contains('@', StringComparison.Ordinal) && text.Contains('#', StringComparison.Ordinal) ? LastLine().Match(text) : Match.Empty;
        domain = match.Success ? match.Groups["domain"].Value : null;
        code = match.Success ? match.Groups["code"].Value : null;
        return match.Success;
    }

    [GeneratedRegex(@"(?:^|\n)[ \t]*@(?<domain>[A-Za-z0-9](?:[A-Za-z0-9\-]*\.)+[A-Za-z0-9\-]+)[ \t]+#(?<code>[A-Za-z0-9]{3,12})(?:[ \t]+@[^\s]+)?[ \t]*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex LastLine();
}
