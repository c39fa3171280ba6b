namespace Pool.Sms.Otp;

/// <summary>
/// The sender's name where the words of a message put it, in any language:
/// <list type="number">
/// <item>at the start before a colon, or alone on the first line ("Nubank: Seu código…", "Banca Sella\nCodice OTP:");</item>
/// <item>next to a code word: "your Lyft code", "Telegram code:", "Amazon-Einmalkennwort", "code for Klarna",
/// "Codice di accesso Telegram:";</item>
/// <item>alone at the end ("… Нікому не повідомляйте. ПриватБанк", "/Nordea", "Ihre DKB").</item>
/// </list>
/// A name is one to four words that are no word of the <see cref="OtpLexicon"/> (code, card, verify…) nor a greeting.
/// </summary>
internal static class SenderWords
{
    private const int MaxName = 40;

    /// <summary>Words that start a message or end it without being a name (lower case).</summary>
    private static readonly WordSet s_notNames = new(
    [
        "dear", "hi", "hello", "hey", "reminder", "erinnerung", "hinweis", "rappel", "recordatorio", "promemoria", "herinnering",
        "påminnelse", "reamintire", "υπενθύμιση", "aviso", "atenção", "uwaga", "внимание", "увага", "dikkat", "peringatan",
        "perhatian", "info", "alert", "notice", "important", "attention", "achtung", "warning", "thông", "lưu", "تنبيه", "توجه",
        "تذكير", "תזכורת", "सूचना", "pengingat", "paalala", "your", "ihr", "ihre", "votre", "tu", "su", "seu", "sua", "from", "to",
        "subject", "re", "fwd", "date", "datum", "fecha", "data", "merchant", "betrag", "auftrag", "importe", "kwota", "the", "this",
        "use", "enter", "new", "do", "not", "reply", "thanks", "thank", "please", "ignore", "regards", "team", "customer", "client",
        "guten", "tag", "bonjour", "hola", "olá", "ciao", "hallo", "здравствуйте", "привет", "merhaba", "halo", "xin", "chào",
        "mr", "mrs", "ms", "sir", "madam", "ваш", "ваша", "шановний", "уважаемый", "estimado", "estimada", "cher", "chère", "gentile",
        "sehr", "geehrte", "geehrter", "drogi", "szanowny", "sayın", "yth", "bapak", "ibu", "kính", "gửi", "عزيزي", "عميلنا", "مشتری",
        "प्रिय", "প্রিয়", "message", "sms", "otp", "pin", "code", "notification", "security", "urgent", "now", "today",
        "ο", "η", "το", "οι", "нагадуємо", "напоминаем", "připomínka", "upozornění", "przypomnienie", "emlékeztető", "hatırlatma",
    ]);

    /// <summary>Words before a signature at the end ("Ihre DKB", "Hälsningar Handelsbanken").</summary>
    private static readonly WordSet s_closings = new(["ihre", "ihr", "your", "hälsningar", "mvh", "cordialement", "saludos", "atenciosamente", "pozdrawiamy", "regards"]);

    /// <summary>"your", in the languages of the lexicon (lower case).</summary>
    private static readonly WordSet s_your = new(
    [
        "your", "seu", "sua", "tu", "su", "votre", "ton", "ta", "ihr", "ihre", "dein", "deine", "je", "jouw", "uw", "din", "ditt",
        "twój", "twoj", "ваш", "твой", "váš", "vas", "tvůj", "tău", "tau", "dvs", "tuo", "vostro", "σας", "σου", "anda", "kamu",
        "của", "cua", "senin", "sizin", "a", "az", "the", "il", "o", "le", "la", "el", "ο", "η", "το",
    ]);

    /// <summary>"for", "at", "from" between a code word and a name (lower case).</summary>
    private static readonly WordSet s_for = new(
    [
        "for", "para", "pour", "für", "voor", "för", "dla", "pro", "pentru", "για", "per", "до", "для", "untuk", "de", "do", "da",
        "del", "du", "bei", "at", "from", "on", "to", "til", "på", "w", "v", "в", "u", "by", "na", "a", "al", "au", "von", "van",
    ]);

    /// <summary>The sender named by the words of <paramref name="original"/>, or null.</summary>
    public static string? Of(string original, OtpText text) =>
        AtStart(original, text) ?? NearCodeWord(original, text) ?? AtEnd(original, text);

    /// <summary>"Nubank: Seu código…", "Stadtwerke Musterstadt: …", or a short first line of its own.</summary>
    private static string? AtStart(string original, OtpText text)
    {
        var chars = text.Chars;
        var p = 0;
        while (p < chars.Length && (chars[p] == ' ' || chars[p] == '\n' || chars[p..].StartsWith("<#>", StringComparison.Ordinal)))
        {
            p += chars[p] == '<' ? 3 : 1;
        }

        // Malaysian carriers put the charge first: "RM0.00 CIMB: …".
        if (chars[p..].StartsWith("RM0", StringComparison.Ordinal) && chars[p..].IndexOf(' ') is > 0 and var space)
        {
            p += space + 1;
        }

        var limit = Math.Min(chars.Length, p + MaxName + 1);
        for (var i = p; i < limit; i++)
        {
            var c = chars[i];
            if (c is ':' or '：')
            {
                // "11:20" is a time, not a name's colon.
                return i > 0 && char.IsAsciiDigit(chars[i - 1]) ? null : Name(original, text, p, i, words: 4);
            }

            if (c == '\n')
            {
                return Name(original, text, p, i, words: 4);
            }

            if (c is '.' or '!' or '?' or ',' or '。' or '，' or ';' && !(c == '.' && i + 1 < chars.Length && char.IsLetter(chars[i + 1])))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>"your Lyft code", "Telegram code:", "Amazon-Einmalkennwort", "code for Klarna", "κωδικός επαλήθευσης Viva Wallet είναι".</summary>
    private static string? NearCodeWord(string original, OtpText text)
    {
        var tokens = text.Tokens;
        for (var k = 0; k < tokens.Count; k++)
        {
            var keyword = tokens[k];
            if (keyword.Kind != TokenKind.Word || !keyword.Is(Lex.Code) || keyword.Is(Lex.NotOtp))
            {
                continue;
            }

            if ((Before(original, text, k) ?? After(original, text, k)) is { } name)
            {
                return name;
            }
        }

        return null;
    }

    private static string? Before(string original, OtpText text, int k)
    {
        var tokens = text.Tokens;
        var j = k - 1;
        while (j >= 0 && IsKind(tokens[j]) && Joined(text, tokens[j], tokens[j + 1]))
        {
            j--;
        }

        var last = j;
        var compound = j >= 0 && j + 1 < tokens.Count && text.Chars[tokens[j].End..tokens[j + 1].Start] is "-";
        while (j >= 0 && j > last - 3 && IsNameLike(text, tokens[j]) && Joined(text, tokens[j], tokens[j + 1]))
        {
            j--;
        }

        if (j == last)
        {
            return null;
        }

        var first = j + 1;
        var your = j >= 0 && tokens[j].Kind == TokenKind.Word && Joined(text, tokens[j], tokens[first]) && s_your.Contains(Lower(text, tokens[j]));
        var atStart = j < 0 && text.Chars[..tokens[first].Start].Trim().IsEmpty;
        return your || atStart || compound ? Span(original, tokens[first].Start, tokens[last].End) : null;
    }

    private static string? After(string original, OtpText text, int k)
    {
        var tokens = text.Tokens;
        var j = k + 1;
        var preposition = false;
        while (j < tokens.Count && Joined(text, tokens[j - 1], tokens[j]) && tokens[j].Kind == TokenKind.Word)
        {
            var word = Lower(text, tokens[j]);
            if (IsKind(tokens[j]) || word is "de" or "di" or "da" or "do" or "del" or "du" or "of")
            {
                j++;
                continue;
            }

            if (s_for.Contains(word))
            {
                preposition = true;
                j++;
            }

            break;
        }

        var first = j;
        while (j < tokens.Count && j < first + 3 && IsNameLike(text, tokens[j]) && Joined(text, tokens[j - 1], tokens[j]))
        {
            j++;
        }

        if (j == first)
        {
            return null;
        }

        var last = j - 1;
        var chars = text.Chars;
        var end = tokens[last].End;
        var then = end < chars.Length ? chars[end..].TrimStart(' ') : default;
        var introduces = then.IsEmpty || then[0] is ':' or '：' or '.' or ',' or '!' or '\n'
            || (j < tokens.Count && (tokens[j].Is(Lex.Connector) || s_your.Contains(Lower(text, tokens[j]))));
        return preposition || introduces ? Span(original, tokens[first].Start, end) : null;
    }

    /// <summary>"… Нікому не повідомляйте. ПриватБанк", "… /Nordea", "… Ihre DKB", "… - กรุงไทย".</summary>
    private static string? AtEnd(string original, OtpText text)
    {
        var chars = text.Chars;
        var end = chars.TrimEnd(" .!\n").Length;
        var start = end;
        while (start > 0 && chars[start - 1] is not ('.' or '!' or '?' or '\n' or '。' or '！' or '/' or '-' or '—' or ':'))
        {
            start--;
        }

        if (start == 0 || end - start > MaxName)
        {
            return null;
        }

        while (start < end && chars[start] == ' ')
        {
            start++;
        }

        var tokens = text.Tokens;
        var first = 0;
        while (first < tokens.Count && tokens[first].Start < start)
        {
            first++;
        }

        first = first < tokens.Count ? first : -1;
        if (first >= 0 && tokens[first].Kind == TokenKind.Word && s_closings.Contains(Lower(text, tokens[first])))
        {
            start = first + 1 < tokens.Count ? tokens[first + 1].Start : end;
        }

        return Name(original, text, start, end, words: 3, capitalised: true);
    }

    /// <summary>The text from <paramref name="start"/> to <paramref name="end"/> when it reads as a name, else null.</summary>
    private static string? Name(string original, OtpText text, int start, int end, int words, bool capitalised = false)
    {
        var chars = text.Chars;
        var span = chars[start..end].Trim();
        if (span.IsEmpty || span.Length > MaxName)
        {
            return null;
        }

        var count = 0;
        var letters = false;
        foreach (var token in text.Tokens)
        {
            if (token.End <= start || token.Start >= end)
            {
                continue;
            }

            if (token.Kind == TokenKind.Digits)
            {
                if (capitalised || token.Length > 5)
                {
                    return null;
                }

                continue;
            }

            if (token.Lex != Lex.None || s_notNames.Contains(Lower(text, token)))
            {
                return null;
            }

            count++;
            letters = true;
            if (capitalised && count == 1 && char.IsLower(chars[token.Start]))
            {
                return null;
            }
        }

        return letters && count <= words && !span.Contains("  ", StringComparison.Ordinal) ? Span(original, start, end) : null;
    }

    /// <summary>A word of the kind of code ("verification", "login", "one-time", "sms", "OTP"): skipped between a name and its code word.</summary>
    private static bool IsKind(Token token) =>
        token.Kind == TokenKind.Word && (token.Is(Lex.Intent | Lex.Strong | Lex.Validity | Lex.Code) && !token.Is(Lex.Label));

    private static bool IsNameLike(OtpText text, Token token)
    {
        if (token.Kind != TokenKind.Word || token.Lex != Lex.None || s_notNames.Contains(Lower(text, token)) || s_your.Contains(Lower(text, token)))
        {
            return false;
        }

        var word = text.Chars[token.Start..token.End];
        return char.IsUpper(word[0]) || (word.Length > 1 && word[1..].ContainsAnyInRange('A', 'Z'));
    }

    /// <summary>Two tokens with only a space, a dash, a dot or an ampersand between.</summary>
    private static bool Joined(OtpText text, Token first, Token second)
    {
        var gap = text.Chars[first.End..second.Start];
        return gap.Length <= 2 && !gap.ContainsAnyExcept(" -.&'");
    }

    private static ReadOnlySpan<char> Lower(OtpText text, Token token) => text.Lower[token.Start..token.End];

    private static string Span(string original, int start, int end) => original.AsSpan(start, end - start).Trim().TrimEnd(".- ").ToString();
}
