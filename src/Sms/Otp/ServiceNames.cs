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

    /// <summary>Adds the text spans that hold brands (bracket contents with a letter, or brackets at either end), so their digits are never codes.</summary>
    public static void AddBrandSpans(string text, List<Range> spans)
    {
        if (text.AsSpan().IndexOfAny('【', '[') < 0)
        {
            return;
        }

        foreach (Match match in Bracketed().Matches(text))
        {
            var name = match.Groups["name"];
            if (HasLetter(name.Value) || AtStart(text, match) || AtEnd(text, match))
            {
                spans.Add(new Range(name.Index, name.Index + name.Length));
            }
        }
    }

    /// <summary>The service named by <paramref name="text"/>, or null.</summary>
    public static string? Of(string text)
    {
        if (text.AsSpan().IndexOfAny('【', '[') >= 0 && Signature(text) is { } signature)
        {
            return signature;
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

    /// <summary>
    /// The sender's signature in 【】 or [] at the start or the end of the message (where Chinese SMS rules put it). A
    /// bracket at the start that holds a topic ("【办理确认提醒】", "【温馨提示】") yields to the signature at the end;
    /// a carrier's mark ("[Web발신]", "[国际短信]") is skipped.
    /// </summary>
    private static string? Signature(string text)
    {
        var brackets = Bracketed().Matches(text);
        string? topic = null;
        var skip = 0;
        foreach (Match match in brackets)
        {
            var name = match.Groups["name"].Value.Trim();
            if (!StartFiller().IsMatch(text.AsSpan(skip, match.Index - skip)))
            {
                break;
            }

            if (CarrierMark().IsMatch(name))
            {
                skip = match.Index + match.Length;
                continue;
            }

            if (name.Any(char.IsLetterOrDigit))
            {
                if (!Topic().IsMatch(name))
                {
                    return name;
                }

                topic ??= name;
            }

            break;
        }

        foreach (var match in brackets.Where(m => AtEnd(text, m)))
        {
            var name = match.Groups["name"].Value.Trim();
            if (name.Any(char.IsLetter) && !CarrierMark().IsMatch(name))
            {
                return name;
            }
        }

        return topic;
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

    /// <summary>Words of a notice's topic, not of a sender's name.</summary>
    [GeneratedRegex(@"提醒|提示|通知|确认|確認|公告|消息|温馨|溫馨|账单|賬單|验证|驗證|动态|動態|告知|重要|安全|服务|服務|信息|通告", RegexOptions.CultureInvariant)]
    private static partial Regex Topic();

    /// <summary>Marks a carrier puts before the sender's text.</summary>
    [GeneratedRegex(@"^(?:Web발신|국제발신|해외발신|국외발신|광고|国际短信|國際簡訊|International)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CarrierMark();

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
