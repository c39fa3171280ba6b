using System.Text.RegularExpressions;

namespace Pool.Sms.Otp;

/// <summary>
/// Who sent the code: the signature in 【】 or [] at the start or the end of the message, else what
/// <see cref="SenderWords"/> reads in the words ("Nubank: …", "Your Lyft code", "code for Klarna", "… ПриватБанк").
/// </summary>
internal static partial class ServiceNames
{
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
            // Digits alone in brackets are a brand only where a signature stands first ("【12306】…"); at the end or inside
            // they are the code ("인증번호 [482913]", "验证码为【 123456 】").
            if (HasLetter(name.Value) || AtStart(text, match))
            {
                spans.Add(new Range(name.Index, name.Index + name.Length));
            }
        }
    }

    /// <summary>The service named by <paramref name="original"/> (read as <paramref name="text"/>), or null.</summary>
    public static string? Of(string original, OtpText text)
    {
        if (original.AsSpan().IndexOfAny('【', '[') >= 0 && Signature(original) is { } signature)
        {
            return signature;
        }

        return SenderWords.Of(original, text);
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
}
