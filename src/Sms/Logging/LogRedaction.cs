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

    /// <summary>
    /// A value that came from outside (a carrier's message id, a sender id, a field a client sent) as a
    /// log line or an error text may quote it: at most <paramref name="max"/> characters (then "…(+N)"),
    /// control characters written as \uXXXX so no line can be forged, and every run of 7 or more digits
    /// (a phone number written without its '+') masked.
    /// </summary>
    public static string Quote(string? value, int max = 64)
    {
        if (value is null)
        {
            return "(none)";
        }

        var cut = value.Length > max ? value[..max] : value;
        var escaped = new System.Text.StringBuilder(cut.Length + 8);
        foreach (var c in cut)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029')
            {
                escaped.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        var quoted = DigitRun().Replace(escaped.ToString(), match => E164.Mask("+" + match.Value)[1..]);
        return value.Length > max ? $"{quoted}…(+{value.Length - max})" : quoted;
    }

    [GeneratedRegex(@"(?<!\d)\d{7,}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"\+\d{7,15}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex E164Pattern();
}

/// <summary>
/// A value from outside on its way to a log line: quoted by <see cref="LogRedaction.Quote"/> (bounded,
/// control characters escaped, digit runs masked) only when the line is written.
/// </summary>
public readonly record struct Quoted(string? Value, int Max = 64)
{
    public override string ToString() => LogRedaction.Quote(Value, Max);
}
