namespace Pool.Sms.Otp;

/// <summary>
/// Finds what could be a code in an <see cref="OtpText"/>: runs of 4–8 digits standing alone, digits in groups
/// ("123 456", "123-456", "1234 5678", "12 34 56"), and — only right after a code word — letters and digits
/// mixed ("AB12CD") or capital letters alone ("KQXWTR"). Digits that belong to a larger number (amounts
/// "1.250,00", dates "15/06/2024", times, phone numbers, nine digits or more), to a link or to a brand are
/// never candidates.
/// </summary>
internal static class CodeCandidates
{
    /// <summary>Letters-only words a code word is often followed by that are not codes.</summary>
    private static readonly WordSet s_notLetterCodes = new(
    [
        "HERE", "BELOW", "ABOVE", "SENT", "READY", "VALID", "EXPIRED", "INVALID", "CODE", "YOUR", "THIS", "THAT", "WILL",
        "FROM", "WITH", "STOP", "HELP", "NEVER", "SHARE", "ONLY", "ONCE", "USED", "TEXT", "REPLY", "CALL", "NOTE", "PLEASE",
        "ENTER", "REQUIRED", "REQUESTED", "CHANGED", "FREE", "SALE", "DEAL", "LINK", "JANGAN", "RAHASIA", "BERIKAN", "KEPADA",
        "PENTING", "NICHT", "NIEMALS", "NUNCA", "JAMAIS", "KODE", "SENHA", "CODIGO", "ACTIVE", "SENDING", "BELOW", "AGAIN",
        "PIN", "OTP", "VERIFICATION", "SECURITY", "LOGIN", "ATTEMPT", "FAILED", "BLOCKED", "LOCKED", "RESET", "UPDATED",
    ]);

    /// <summary>Adds every candidate of <paramref name="text"/> outside <paramref name="blocked"/> (brands, links) to <paramref name="found"/>.</summary>
    public static void Find(OtpText text, IReadOnlyList<Range> blocked, List<CodeCandidate> found, out int numbers)
    {
        numbers = 0;
        var chars = text.Chars;
        var tokens = text.Tokens;
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (token.Kind != TokenKind.Digits || Inside(token.Start, token.End, blocked))
            {
                continue;
            }

            // A run of digit groups joined by single spaces, dashes, dots or brackets: a phone number, a card, a split code.
            var last = t;
            var digits = token.Length;
            var phone = StartsPhone(chars, token.Start);
            while (last + 1 < tokens.Count && tokens[last + 1].Kind == TokenKind.Digits && IsGroupGap(chars, tokens[last].End, tokens[last + 1].Start))
            {
                last++;
                digits += tokens[last].Length;
            }

            if (digits >= 4)
            {
                numbers++;
            }

            if (last > t)
            {
                if (!phone && digits < 9 && SplitCode(chars, tokens, t, last) is { } split)
                {
                    found.Add(split);
                }
                else if (!phone && digits < 9)
                {
                    // Groups that are no code shape and no long number ("4821 15", "4125(5分钟"): each stands on its own.
                    for (var g = t; g <= last; g++)
                    {
                        AddSingle(chars, tokens[g], found);
                    }
                }

                t = last;
                continue;
            }

            if (!phone)
            {
                AddSingle(chars, token, found);
            }
        }
    }

    /// <summary>The letters-and-digits code right after the code word <paramref name="keyword"/> ("code is AB12CD", "OTP: KQXWTR"), or null.</summary>
    public static CodeCandidate? AfterKeyword(OtpText text, Token keyword, int keywordIndex)
    {
        var chars = text.Chars;
        var tokens = text.Tokens;
        var p = keyword.End;
        var next = keywordIndex + 1;

        // "Enter code WQTB", "Use code K7P2QX": the verb before the code word introduces what follows it.
        var introduced = keywordIndex > 0 && tokens[keywordIndex - 1].Kind == TokenKind.Word && tokens[keywordIndex - 1].Is(Lex.Connector)
            && tokens[keywordIndex - 1].End + 1 == keyword.Start;
        for (var hop = 0; hop < 3; hop++)
        {
            var lead = p;
            while (p < chars.Length && p - lead < MaxLead && IsLead(chars[p]))
            {
                introduced |= chars[p] is ':' or '：' or '=';
                p++;
            }

            // Skip "is", "es", "lautet"…
            if (next < tokens.Count && tokens[next].Start == p && tokens[next].Kind == TokenKind.Word && tokens[next].Is(Lex.Connector))
            {
                p = tokens[next].End;
                next++;
                introduced = true;
                continue;
            }

            break;
        }

        // "Kod BLIK: 482913", "OTP EXPIRES IN 5 MINUTES": capitals right after a code word with nothing between name
        // something; a code of letters is introduced ("code is KQXWTR", "code: KQXWTR").
        var run = Run(text, p);
        return run is { Kind: CandidateKind.Letters } && !introduced ? null : run;
    }

    /// <summary>
    /// Letters-and-digits runs introduced by a colon or a connector word ("Kod odbioru: K7Q2M9", "… lautet Q4T7KM")
    /// at or after <paramref name="from"/>: candidates a code word further back may point at.
    /// </summary>
    public static void AddIntroduced(OtpText text, List<CodeCandidate> found, int from)
    {
        var chars = text.Chars;
        var tokens = text.Tokens;
        for (var t = 0; t < tokens.Count; t++)
        {
            if (tokens[t].Start >= from && tokens[t].Kind != TokenKind.Digits && tokens[t].Is(Lex.Connector))
            {
                Add(text, tokens[t].End, found);
            }
        }

        for (var i = chars[from..].IndexOfAny(':', '：', '=') is var first and >= 0 ? from + first : -1; i >= 0; )
        {
            Add(text, i + 1, found);
            var next = chars[(i + 1)..].IndexOfAny(':', '：', '=');
            i = next < 0 ? -1 : i + 1 + next;
        }

        static void Add(OtpText text, int position, List<CodeCandidate> found)
        {
            if (Run(text, position) is { } run && !StartsAt(found, run.Start))
            {
                found.Add(run);
            }
        }
    }

    /// <summary>The letters-and-digits code starting at <paramref name="position"/> after leading spaces and quotes, or null.</summary>
    private static CodeCandidate? Run(OtpText text, int position)
    {
        var chars = text.Chars;
        var p = position;
        while (p < chars.Length && p - position < MaxLead && IsLead(chars[p]))
        {
            p++;
        }

        var start = p;
        while (p < chars.Length && char.IsAsciiLetterOrDigit(chars[p]))
        {
            p++;
        }

        var length = p - start;

        // "BLIK: 482913", "Ref: KXQP": a word a colon follows is a name or a label, not the code.
        var after = p;
        while (after < chars.Length && chars[after] == ' ')
        {
            after++;
        }

        if (after < chars.Length && chars[after] is ':' or '：')
        {
            return null;
        }

        var domain = p + 1 < chars.Length && chars[p] == '.' && char.IsAsciiLetter(chars[p + 1]);
        if (length < 4 || domain || (start > 0 && char.IsAsciiLetterOrDigit(chars[start - 1])) || (p < chars.Length && (char.IsLetter(chars[p]) || chars[p] == '-')))
        {
            return null;
        }

        var run = chars[start..p];
        var letters = 0;
        var upper = 0;
        var vowels = 0;
        foreach (var c in run)
        {
            if (char.IsAsciiLetter(c))
            {
                letters++;
                upper += char.IsAsciiLetterUpper(c) ? 1 : 0;
                vowels += "aeiouyAEIOUY".Contains(c, StringComparison.Ordinal) ? 1 : 0;
            }
        }

        if (letters == 0 || run.StartsWith("XX", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (letters < length)
        {
            return length <= 10 ? new CodeCandidate(start, p, CandidateKind.Alphanumeric) : null;
        }

        // Letters only: capitals that are no common word, or a run with at most one vowel ("bqtrmz"), never a plain word.
        var capitals = upper == letters && !s_notLetterCodes.Contains(run);
        var unpronounceable = vowels <= 1 && length >= 5;
        return length <= 8 && (capitals || unpronounceable) ? new CodeCandidate(start, p, CandidateKind.Letters) : null;
    }

    /// <summary>The most spaces, quotes and colons skipped before a code: more is no introduction (and bounds the work).</summary>
    private const int MaxLead = 8;

    private static bool IsLead(char c) =>
        c is ' ' or ':' or '=' or '-' or '"' or '\'' or '«' or '»' or '“' or '”' or '‘' or '’' or '(' or '[' or '{' or '【' or '「' or '『' or '<' or '\n' or '：';

    private static void AddSingle(ReadOnlySpan<char> chars, Token token, List<CodeCandidate> found)
    {
        if (token.Length is < 4 or > 10 || GluedToLatin(chars, token) || InsideLargerNumber(chars, token))
        {
            return;
        }

        found.Add(new CodeCandidate(token.Start, token.End, token.Length > 8 ? CandidateKind.LongDigits : CandidateKind.Digits));
    }

    /// <summary>"123 456", "123-456", "1234 5678", "1234-5678", "12 34 56": the groups joined, or null for any other shape (dates, phone numbers).</summary>
    private static CodeCandidate? SplitCode(ReadOnlySpan<char> chars, List<Token> tokens, int first, int last)
    {
        var separator = chars[tokens[first].End];
        for (var g = first; g < last; g++)
        {
            if (tokens[g + 1].Start - tokens[g].End != 1 || chars[tokens[g].End] != separator || separator is not (' ' or '-'))
            {
                return null;
            }
        }

        var shape = last - first + 1;
        var a = tokens[first].Length;
        var fits = shape switch
        {
            2 => (a == 3 || a == 4) && tokens[last].Length == a,
            3 => separator == ' ' && a == 2 && tokens[first + 1].Length == 2 && tokens[last].Length == 2,
            _ => false,
        };
        var whole = new Token(tokens[first].Start, tokens[last].End, TokenKind.Digits, Lex.None);
        if (!fits || GluedToLatin(chars, whole) || InsideLargerNumber(chars, whole))
        {
            return null;
        }

        return new CodeCandidate(whole.Start, whole.End, CandidateKind.Split);
    }

    /// <summary>A single space, dash or dot, or brackets with a space, between two digit groups of one number.</summary>
    private static bool IsGroupGap(ReadOnlySpan<char> chars, int end, int next)
    {
        var gap = chars[end..next];
        return gap.Length switch
        {
            1 => gap[0] is ' ' or '-' or '.' or ')' or '(',
            2 => gap is ") " or " (" or " -" or "- " or ")-",
            3 => gap is " - ",
            _ => false,
        };
    }

    /// <summary>'+' or '(' right before (a phone number), or "tel:".</summary>
    private static bool StartsPhone(ReadOnlySpan<char> chars, int start)
    {
        var p = start - 1;
        if (p >= 0 && chars[p] == '(')
        {
            p--;
        }

        while (p >= 0 && chars[p] == ' ')
        {
            p--;
        }

        return p >= 0 && chars[p] == '+';
    }

    /// <summary>Digits glued to a Latin letter or an underscore ("A1234", "1234abc", "sara_7781") belong to a word or a name, not a code.</summary>
    private static bool GluedToLatin(ReadOnlySpan<char> chars, Token token) =>
        (token.Start > 0 && (char.IsAsciiLetter(chars[token.Start - 1]) || chars[token.Start - 1] == '_'))
        || (token.End < chars.Length && (char.IsAsciiLetter(chars[token.End]) || chars[token.End] == '_'));

    /// <summary>
    /// Part of "1.250,00", "15/06/2024", "14:30", "v2.3": a separator with more digits on either side. After a
    /// comma or a dot only two or three digits continue a number ("1234,56"); "123456,5分钟" is a code and a sentence.
    /// </summary>
    private static bool InsideLargerNumber(ReadOnlySpan<char> chars, Token token)
    {
        var before = token.Start >= 2 && chars[token.Start - 1] is '.' or ',' or '/' or ':' or '\'' or '-' && char.IsAsciiDigit(chars[token.Start - 2]);
        if (before || token.End + 1 >= chars.Length || !char.IsAsciiDigit(chars[token.End + 1]))
        {
            return before;
        }

        var following = 0;
        while (token.End + 1 + following < chars.Length && char.IsAsciiDigit(chars[token.End + 1 + following]))
        {
            following++;
        }

        return chars[token.End] switch
        {
            '/' or '-' => true,
            '.' or ',' or ':' => following is 2 or 3
                && !(token.End + 1 + following < chars.Length && OtpText.IsUnspaced(chars[token.End + 1 + following])),
            _ => false,
        };
    }

    /// <summary>True when a candidate of <paramref name="found"/> starts at <paramref name="start"/>.</summary>
    public static bool StartsAt(List<CodeCandidate> found, int start)
    {
        foreach (var candidate in found)
        {
            if (candidate.Start == start)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Inside(int start, int end, IReadOnlyList<Range> spans)
    {
        foreach (var span in spans)
        {
            if (start < span.End.Value && span.Start.Value < end)
            {
                return true;
            }
        }

        return false;
    }
}
