namespace Pool.Sms.Otp;

/// <summary>
/// Numbers that are not codes, told by what stands right next to them: a label word before ("card", "ID",
/// "ref", "order", "a/c", "尾号", "카드", "บัญชี", "شماره سفارش"), a mask ("*7731", "XX0917", "···4421"), a
/// currency or unit on either side ("$42", "Rp 50000", "1500 руб", "500 บาท", "12%"), or a calendar
/// character after ("2024年", "3월").
/// </summary>
internal static class CodeTraps
{
    /// <summary>Why the candidate is no code ("after 'card'"), or null.</summary>
    public static string? Of(OtpText text, CodeCandidate candidate, List<CodeCandidate> all)
    {
        var chars = text.Chars;
        if (NamesWhatFollows(text, candidate, all))
        {
            return "what the code after it is for";
        }

        var p = candidate.Start - 1;
        while (p >= 0 && chars[p] == ' ')
        {
            p--;
        }

        if (p >= 0 && IsMask(chars, p))
        {
            return "a masked card or account tail";
        }

        if (p >= 0 && IsCurrencySymbol(chars[p]))
        {
            return "an amount";
        }

        if (Before(text, candidate.Start) is { } label)
        {
            return label;
        }

        var q = candidate.End;
        if (q < chars.Length && (IsCurrencySymbol(chars[q]) || chars[q] is '%'))
        {
            return chars[q] == '%' ? "a percentage" : "an amount";
        }

        if (q < chars.Length && IsCalendar(chars[q]))
        {
            return "a date or time";
        }

        while (q < chars.Length && chars[q] == ' ')
        {
            q++;
        }

        if (q < chars.Length && (IsCurrencySymbol(chars[q]) || chars[q] == '%'))
        {
            return chars[q] == '%' ? "a percentage" : "an amount";
        }

        var after = TokenAt(text, q);
        return after is { } token && token.Is(Lex.Currency) ? "an amount or a quantity" : null;
    }

    /// <summary>The label that names the number starting at <paramref name="start"/>: the word right before it, or the word before "no."/"number".</summary>
    private static string? Before(OtpText text, int start)
    {
        var tokens = text.Tokens;
        var index = TokenBefore(text, start);
        for (var hop = 0; hop < 2 && index >= 0; hop++)
        {
            var token = tokens[index];
            if (token.Is(Lex.Label) || (token.Is(Lex.NotOtp) && !token.Is(Lex.Code)) || (token.Kind == TokenKind.Entry && token.Is(Lex.NotOtp)))
            {
                return $"after '{text.Lower[token.Start..token.End]}'";
            }

            if (token.Is(Lex.Currency))
            {
                return "an amount";
            }

            if (IsAccountAbbreviation(text, token))
            {
                return "after 'a/c'";
            }

            if (!token.Is(Lex.NumberWord))
            {
                return null;
            }

            index = TokenBefore(text, token.Start);
        }

        return null;
    }

    /// <summary>The index of the word or entry that ends right before <paramref name="position"/> with only separators between, or -1.</summary>
    private static int TokenBefore(OtpText text, int position)
    {
        var chars = text.Chars;
        var p = position - 1;
        var skipped = 0;
        while (p >= 0 && IsSeparator(chars[p]) && skipped < 4)
        {
            p--;
            skipped++;
        }

        if (p < 0)
        {
            return -1;
        }

        var index = text.TokenEndingAt(p + 1);
        if (index < 0 || text.Tokens[index].Kind == TokenKind.Digits)
        {
            return -1;
        }

        // "TK-591372", "KQT-508213": a code's own letter prefix, not a label.
        var token = text.Tokens[index];
        var prefix = chars[token.Start..token.End];
        return skipped == 1 && chars[p + 1] == '-' && prefix.Length <= 4 && !prefix.ContainsAnyExceptInRange('A', 'Z') ? -1 : index;
    }

    private static Token? TokenAt(OtpText text, int position)
    {
        var index = text.TokenStartingAt(position);
        return index >= 0 && text.Tokens[index].Kind != TokenKind.Digits ? text.Tokens[index] : null;
    }

    /// <summary>"OTP for card 41230 is 8807425": a number followed by "is" and another candidate is what that candidate is for.</summary>
    private static bool NamesWhatFollows(OtpText text, CodeCandidate candidate, List<CodeCandidate> all)
    {
        var chars = text.Chars;
        var q = candidate.End;
        while (q < chars.Length && chars[q] == ' ')
        {
            q++;
        }

        var index = text.TokenStartingAt(q);
        if (index < 0 || !text.Tokens[index].Is(Lex.Connector))
        {
            return false;
        }

        var next = text.Tokens[index].End;
        while (next < chars.Length && chars[next] is ' ' or ':')
        {
            next++;
        }

        foreach (var other in all)
        {
            if (other.Start == next && other != candidate)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"a/c" (account), written as the word "c" after "a/".</summary>
    private static bool IsAccountAbbreviation(OtpText text, Token token) =>
        token.Length == 1 && text.Lower[token.Start] == 'c' && token.Start >= 2
        && text.Chars[token.Start - 1] == '/' && text.Lower[token.Start - 2] == 'a';

    private static bool IsSeparator(char c) => c is ' ' or ':' or '#' or '№' or '(' or '=' or '.' or '-' or '\'' or '"' or '：';

    private static bool IsMask(ReadOnlySpan<char> chars, int p) =>
        chars[p] is '*' or '•' or '·' or '…' or '∗' or '●' or '✱' or '⋯' or '＊'
        || (chars[p] is 'x' or 'X' && p >= 1 && chars[p - 1] is 'x' or 'X' or '*')
        || (chars[p] == '.' && p >= 2 && chars[p - 1] == '.' && chars[p - 2] == '.');

    private static bool IsCurrencySymbol(char c) =>
        c is '$' or '€' or '£' or '¥' or '₹' or '₺' or '₽' or '₩' or '₫' or '₪' or '฿' or '₴' or '৳' or '₱' or '₦' or '₵' or '₸' or '₼' or '﷼' or '￥' or '₨';

    private static bool IsCalendar(char c) =>
        c is '年' or '月' or '日' or '号' or '號' or '時' or '时' or '点' or '點' or '년' or '월' or '일' or '시' or '분';
}
