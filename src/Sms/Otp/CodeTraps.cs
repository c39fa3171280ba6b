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

        if (DateOrTime(text, candidate) is { } when)
        {
            return when;
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
        if (after is { } token && token.Is(Lex.Currency))
        {
            return "an amount or a quantity";
        }

        // "4521 ile biten kartınız": a label after the number, joined by "ile" (Turkish "with").
        if (after is { } with && text.Lower[with.Start..with.End] is "ile" && TokenAt(text, with.End + 1) is { } named && named.Is(Lex.Label))
        {
            return $"before '{OtpExtractor.Bounded(text.Lower[named.Start..named.End].ToString())}'";
        }

        return null;
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
                return $"after '{OtpExtractor.Bounded(text.Lower[token.Start..token.End].ToString())}'";
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

    /// <summary>
    /// "at 1532", "um 1030 Uhr", "a las 1030", "until 1630", "expires 0627", "14 June 2025", "on 20250614": four digits
    /// that read as a time of day after a time word or before a unit of time, a year after a month, a date after
    /// "on"/"am"/"le".
    /// </summary>
    private static string? DateOrTime(OtpText text, CodeCandidate candidate)
    {
        if (candidate.Kind != CandidateKind.Digits)
        {
            return null;
        }

        var chars = text.Chars;
        var digits = chars[candidate.Start..candidate.End];
        var before = TokenBefore(text, candidate.Start);
        var word = before >= 0 && text.Tokens[before].Kind == TokenKind.Word ? text.Lower[text.Tokens[before].Start..text.Tokens[before].End] : default;
        if (!word.IsEmpty && s_until.Contains(word))
        {
            return "a date or time";
        }

        if (digits.Length == 4 && IsClock(digits))
        {
            if (!word.IsEmpty && s_timeBefore.Contains(word))
            {
                return "a time";
            }

            var q = candidate.End;
            while (q < chars.Length && chars[q] == ' ')
            {
                q++;
            }

            var after = text.TokenStartingAt(q);
            if (after >= 0 && text.Tokens[after].Kind == TokenKind.Word && s_timeAfter.Contains(text.Lower[text.Tokens[after].Start..text.Tokens[after].End]))
            {
                return "a time";
            }
        }

        if (candidate.IsYearIn(chars) && !word.IsEmpty && s_months.Contains(word))
        {
            return "a date";
        }

        if (digits.Length == 8 && digits[..2] is "19" or "20" && digits.Slice(4, 2) is [>= '0' and <= '1', >= '0' and <= '9'] && !word.IsEmpty && s_dateBefore.Contains(word))
        {
            return "a date";
        }

        return null;
    }

    /// <summary>"1532": hours 00–23 and minutes 00–59.</summary>
    private static bool IsClock(ReadOnlySpan<char> digits) =>
        ((digits[0] - '0') * 10) + (digits[1] - '0') < 24 && digits[2] < '6';

    private static readonly WordSet s_timeBefore = new(
    [
        "at", "um", "à", "a", "las", "alle", "ore", "om", "kl", "o", "godz", "в", "о", "saat", "pukul", "jam", "lúc", "luc", "after",
        "before", "from", "between", "around", "ab", "dès", "desde", "dalle", "vanaf", "od", "с", "после", "до", "às", "as", "klo",
    ]);

    private static readonly WordSet s_until = new(
    [
        "until", "till", "expires", "expiry", "exp", "bis", "hasta", "até", "ate", "jusqu", "fino", "tot", "ważna", "geçerlilik",
    ]);

    private static readonly WordSet s_timeAfter = new(
    [
        "uhr", "hrs", "hr", "h", "utc", "gmt", "ist", "cet", "cest", "est", "pst", "horas", "heures", "ore", "godz", "saat", "hod",
        "óra", "órakor", "timer", "tuntia", "น", "am", "pm",
    ]);

    private static readonly WordSet s_dateBefore = new(["on", "am", "le", "el", "il", "dne", "dia", "tanggal", "ngày", "on the"]);

    private static readonly WordSet s_months = new(
    [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august", "sep",
        "sept", "september", "oct", "october", "nov", "november", "dec", "december", "januar", "februar", "märz", "mai", "juni", "juli",
        "oktober", "dezember", "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
        "diciembre", "janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro", "dezembro", "gennaio", "febbraio",
        "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre", "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря", "ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz",
        "ağustos", "eylül", "ekim", "kasım", "aralık", "januari", "februari", "maret", "mei", "agustus", "desember", "stycznia", "lutego",
        "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
    ]);

    /// <summary>"a/c" (account), written as the word "c" after "a/".</summary>
    private static bool IsAccountAbbreviation(OtpText text, Token token) =>
        token.Length == 1 && text.Lower[token.Start] == 'c' && token.Start >= 2
        && text.Chars[token.Start - 1] == '/' && text.Lower[token.Start - 2] == 'a';

    private static bool IsSeparator(char c) => c is ' ' or ':' or '#' or '№' or '(' or '=' or '.' or '-' or '\'' or '"' or '：';

    private static bool IsMask(ReadOnlySpan<char> chars, int p) =>
        chars[p] is '*' or '•' or '·' or '…' or '∗' or '●' or '✱' or '⋯' or '＊'
        || (chars[p] is 'x' or 'X' && p >= 1 && chars[p - 1] is 'x' or 'X' or '*')
        || (chars[p] == '.' && p >= 2 && chars[p - 1] == '.' && chars[p - 2] == '.');

    /// <summary>The currency signs an amount stands next to; the extractor's promotion check looks for a price with the same set.</summary>
    public static readonly System.Buffers.SearchValues<char> CurrencySymbols =
        System.Buffers.SearchValues.Create("$€£¥₹₺₽₩₫₪฿₴৳₱₦₵₸₼﷼￥₨");

    private static bool IsCurrencySymbol(char c) => CurrencySymbols.Contains(c);

    private static bool IsCalendar(char c) =>
        c is '年' or '月' or '日' or '号' or '號' or '時' or '时' or '点' or '點' or '년' or '월' or '일' or '시' or '분';
}
