using System.Text.RegularExpressions;
using Pool.Sms.Numbers;

namespace Pool.Sms.Logging;

/// <summary>
/// The last line of defence for privacy in logs: masks every E.164 number ("+" and 7–15 digits) in a
/// finished log line, whoever wrote it (Pool's own code passes <see cref="MaskedNumber"/>; Orleans and
/// ASP.NET Core may print grain ids such as "number/+85251234567").
/// </summary>
public static partial class LogRedaction
{
    public static string MaskNumbers(string line) =>
        line.Contains('+', StringComparison.Ordinal) ? E164Pattern().Replace(line, match => E164.Mask(match.Value)) : line;

    [GeneratedRegex(@"\+\d{7,15}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex E164Pattern();
}
