namespace Pool.Sms.Otp;

/// <summary>
/// Who sent the code: the signature in 【】 or [] at the start or the end of the message, else what
/// <see cref="SenderWords"/> reads in the words ("Nubank: …", "Your Lyft code", "code for Klarna", "… ПриватБанк").
/// </summary>
internal static class ServiceNames
{
    /// <summary>The longest name a bracket holds.</summary>
    private const int MaxBracketed = 30;

    /// <summary>Words of a notice's topic, not of a sender's name ("【办理确认提醒】", "【温馨提示】").</summary>
    private static readonly string[] s_topicWords =
    [
        "提醒", "提示", "通知", "确认", "確認", "公告", "消息", "温馨", "溫馨", "账单", "賬單", "验证", "驗證", "动态", "動態", "告知",
        "重要", "安全", "服务", "服務", "信息", "通告",
    ];

    /// <summary>Marks a carrier puts before the sender's text.</summary>
    private static readonly string[] s_carrierMarks = ["Web발신", "국제발신", "해외발신", "국외발신", "광고", "国际短信", "國際簡訊", "International"];

    /// <summary>Adds the 【…】 and […] of <paramref name="text"/> (1–30 characters, one line) to <paramref name="brackets"/>, in order.</summary>
    public static void FindBrackets(ReadOnlySpan<char> text, List<Range> brackets)
    {
        for (var open = text.IndexOfAny('【', '['); open >= 0; open = Next(text, open + 1))
        {
            var close = text[open] == '【' ? '】' : ']';
            var limit = Math.Min(text.Length, open + MaxBracketed + 2);
            for (var i = open + 1; i < limit; i++)
            {
                if (text[i] == close)
                {
                    if (i > open + 1)
                    {
                        brackets.Add(new Range(open, i + 1));
                    }

                    break;
                }

                if (text[i] is '\n' or '\r' or '【' or '[')
                {
                    break;
                }
            }
        }

        static int Next(ReadOnlySpan<char> text, int from)
        {
            var next = text[from..].IndexOfAny('【', '[');
            return next < 0 ? -1 : from + next;
        }
    }

    /// <summary>Adds the text spans that hold brands (bracket contents with a letter, or a bracket that starts the message), so their digits are never codes.</summary>
    public static void AddBrandSpans(ReadOnlySpan<char> text, List<Range> brackets, List<Range> spans)
    {
        foreach (var bracket in brackets)
        {
            // Digits alone in brackets are a brand only where a signature stands first ("【12306】…"); at the end or inside
            // they are the code ("인증번호 [482913]", "验证码为【 123456 】").
            if (Inside(text, bracket).ContainsAnyExcept(s_notLetters) || (AtStart(text, bracket, 0) && !IntroducesItself(text, bracket)))
            {
                spans.Add(new Range(bracket.Start.Value + 1, bracket.End.Value - 1));
            }
        }
    }

    /// <summary>The service named by <paramref name="original"/> (read as <paramref name="text"/>), or null.</summary>
    public static string? Of(string original, OtpText text, List<Range> brackets) =>
        Signature(original, brackets) ?? SenderWords.Of(original, text);

    /// <summary>
    /// The sender's signature in 【】 or [] at the start or the end of the message (where Chinese SMS rules put it). A
    /// bracket at the start that holds a topic ("【办理确认提醒】", "【温馨提示】") yields to the signature at the end;
    /// a carrier's mark ("[Web발신]", "[国际短信]") is skipped.
    /// </summary>
    private static string? Signature(string text, List<Range> brackets)
    {
        string? topic = null;
        var skip = 0;
        foreach (var bracket in brackets)
        {
            if (!AtStart(text, bracket, skip))
            {
                break;
            }

            var name = Inside(text, bracket).Trim();
            if (IsCarrierMark(name))
            {
                skip = bracket.End.Value;
                continue;
            }

            if (name.ContainsAnyExcept(s_notLetters) || (name.ContainsAnyInRange('0', '9') && !IntroducesItself(text, bracket)))
            {
                if (!IsTopic(name))
                {
                    return name.ToString();
                }

                topic ??= name.ToString();
            }

            break;
        }

        for (var b = brackets.Count - 1; b >= 0; b--)
        {
            var bracket = brackets[b];
            if (!text.AsSpan(bracket.End.Value).ContainsAnyExcept(s_endFiller))
            {
                var name = Inside(text, bracket).Trim();
                if (name.ContainsAnyExcept(s_notLetters) && !IsCarrierMark(name))
                {
                    return name.ToString();
                }
            }
        }

        return topic;
    }

    /// <summary>"[482913] is your Instagram code", "【482913】是您的验证码": digits in a bracket that the next word calls the code.</summary>
    private static bool IntroducesItself(ReadOnlySpan<char> text, Range bracket)
    {
        var after = text[bracket.End.Value..].TrimStart(' ');
        return after.StartsWith("is ", StringComparison.OrdinalIgnoreCase) || after.StartsWith("是", StringComparison.Ordinal)
            || after.StartsWith("为", StringComparison.Ordinal) || after.StartsWith("為", StringComparison.Ordinal)
            || after.StartsWith("est ", StringComparison.Ordinal) || after.StartsWith("es ", StringComparison.Ordinal)
            || after.StartsWith("é ", StringComparison.Ordinal) || after.StartsWith("ist ", StringComparison.Ordinal);
    }

    private static ReadOnlySpan<char> Inside(ReadOnlySpan<char> text, Range bracket) => text[(bracket.Start.Value + 1)..(bracket.End.Value - 1)];

    /// <summary>Only white space and "&lt;#&gt;" (the Android SMS Retriever mark) stand between <paramref name="from"/> and the bracket.</summary>
    private static bool AtStart(ReadOnlySpan<char> text, Range bracket, int from)
    {
        var before = text[from..bracket.Start.Value];
        while (!before.IsEmpty)
        {
            before = before.TrimStart(" \t\r\n");
            if (before.StartsWith("<#>", StringComparison.Ordinal))
            {
                before = before[3..];
                continue;
            }

            return before.IsEmpty;
        }

        return true;
    }

    private static bool IsTopic(ReadOnlySpan<char> name)
    {
        foreach (var word in s_topicWords)
        {
            if (name.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCarrierMark(ReadOnlySpan<char> name)
    {
        foreach (var mark in s_carrierMarks)
        {
            if (name.Equals(mark, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Characters that are no letter: a bracket that holds only these names no brand.</summary>
    private static readonly System.Buffers.SearchValues<char> s_notLetters = System.Buffers.SearchValues.Create(
        " 0123456789.,:;!?-_+*#/()&'\"@%$€£¥=<>|~^`\t。，：！？、·…—–");

    private static readonly System.Buffers.SearchValues<char> s_endFiller = System.Buffers.SearchValues.Create(" \t\r\n.。!！");
}
