using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Pool.Sms.Otp;

/// <summary>The WebOTP last line, "@example.com #123456" (optionally "@top.com #123456 @embedded.com"): the origin and its code.</summary>
internal static partial class WebOtp
{
    public static bool TryParse(string text, [NotNullWhen(true)] out string? domain, [NotNullWhen(true)] out string? code)
    {
        // The origin-bound line is the message's last line (WICG sms-one-time-codes): read only that line, so a long
        // text costs one short match.
        var trimmed = text.AsSpan().TrimEnd();
        var line = trimmed[(trimmed.LastIndexOf('\n') + 1)..];
        var match = line.Length <= MaxLine && line.Contains('@') && line.Contains('#') ? LastLine().Match(line.ToString()) : Match.Empty;
        domain = match.Success ? match.Groups["domain"].Value : null;
        code = match.Success ? match.Groups["code"].Value : null;
        return match.Success;
    }

    /// <summary>The longest last line read: a domain of 253 characters, its code and an embedded origin.</summary>
    private const int MaxLine = 600;

    [GeneratedRegex(@"^[ \t]*@(?<domain>[A-Za-z0-9](?:[A-Za-z0-9\-]*\.)+[A-Za-z0-9\-]+)[ \t]+#(?<code>[A-Za-z0-9]{3,12})(?:[ \t]+@[^\s]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LastLine();
}
