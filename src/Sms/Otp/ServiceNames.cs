using System.Text.RegularExpressions;

namespace Pool.Sms.Otp;

/// <summary>
/// Who sent the code: the brand in 【】 or [] at the start or end of the message, or in Latin text
/// "Your X code is", "X code: 123456", "X: 123456 is your code", "code for X".
/// </summary>
internal static partial class ServiceNames
{
    private static readonly HashSet<string> s_notNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "your", "the", "this", "use", "enter", "dear", "hi", "hello", "new", "one", "one-time", "otp", "pin", "code",
        "verification", "security", "login", "log-in", "sign-in", "confirmation", "activation", "access", "account",
        "authentication", "temporary", "ваш", "seu", "sua", "tu", "su", "verificación", "verificação", "acesso",
    };

    /// <summary>The text spans that hold brands (bracket contents with a letter, or brackets at either end), so their digits are never codes.</summary>
    public static List<Range> BrandSpans(string text)
    {
        var spans = new List<Range>();
        foreach (Match match in Bracketed().Matches(text))
        {
            var name = match.Groups["name"];
            if (HasLetter(name.Value) || AtStart(text, match) || AtEnd(text, match))
            {
                spans.Add(new Range(name.Index, name.Index + name.Length));
            }
        }

        return spans;
    }

    /// <summary>The service named by <paramref name="text"/>, or null.</summary>
    public static string? Of(string text)
    {
        var brackets = Bracketed().Matches(text);
        foreach (var match in brackets.Where(m => AtStart(text, m)).Concat(brackets.Where(m => AtEnd(text, m))))
        {
            var name = match.Groups["name"].Value.Trim();
            if (name.Any(char.IsLetterOrDigit))
            {
                return name;
            }
        }

        foreach (var pattern in (ReadOnlySpan<Regex>)[YourServiceCode(), ServiceCodeAtStart(), ServiceColonCode(), CodeForService()])
        {
            foreach (Match match in pattern.Matches(text))
            {
                if (Clean(match.Groups["name"].Value) is { } name)
                {
                    return name;
                }
            }
        }

        return null;
    }

    private static bool HasLetter(string name) => name.Any(char.IsLetter);

    private static bool AtStart(string text, Match match) =>
        StartFiller().IsMatch(text.AsSpan(0, match.Index));

    private static bool AtEnd(string text, Match match) =>
        EndFiller().IsMatch(text.AsSpan(match.Index + match.Length));

    /// <summary>Drops leading and trailing words that are not names ("Your", "verification"); null when nothing is left.</summary>
    private static string? Clean(string candidate)
    {
        var words = candidate.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        while (words.Count > 0 && s_notNames.Contains(words[0]))
        {
            words.RemoveAt(0);
        }

        while (words.Count > 0 && s_notNames.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        return words.Count == 0 ? null : string.Join(' ', words);
    }

    [GeneratedRegex(@"【(?<name>[^【】\r\n]{1,30})】|\[(?<name>[^\[\]\r\n]{1,30})\]", RegexOptions.CultureInvariant)]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"^(?:\s|<#>)*$", RegexOptions.CultureInvariant)]
    private static partial Regex StartFiller();

    [GeneratedRegex(@"^[\s.。!！]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EndFiller();

    private const string Name = @"(?<name>\p{Lu}[\p{L}\p{N}.&'’+_-]*(?:\s\p{Lu}[\p{L}\p{N}.&'’+_-]*){0,2})";

    private const string CodeWord = @"(?i:code|pin|otp|passcode|c[óo]digo|senha|код)(?![A-Za-z])";

    private const string CodeKind = @"(?i:(?:verification|security|login|sign[\s-]in|confirmation|one-time|access|activation|account|authentication)\s+)?";

    [GeneratedRegex(@"(?<![A-Za-z])(?i:your|seu|sua|tu|su)\s+" + Name + @"\s+" + CodeKind + CodeWord, RegexOptions.CultureInvariant)]
    private static partial Regex YourServiceCode();

    [GeneratedRegex(@"^(?:\s|<#>)*" + Name + @"\s+" + CodeKind + CodeWord, RegexOptions.CultureInvariant)]
    private static partial Regex ServiceCodeAtStart();

    [GeneratedRegex(@"^(?:\s|<#>)*" + Name + @"\s*[:：]\s*(?:[A-Z]-)?[0-9][0-9 \-]{2,}\s+(?i:is\s+your)", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex ServiceColonCode();

    [GeneratedRegex(@"(?<![A-Za-z])(?i:code|c[óo]digo|senha|pin)(?:\s+(?:de|do)\s+(?:verificación|verificação|seguridad|segurança|acceso|acesso))?\s+(?i:for|para|de|do|da|del)\s+" + Name, RegexOptions.CultureInvariant)]
    private static partial Regex CodeForService();
}
