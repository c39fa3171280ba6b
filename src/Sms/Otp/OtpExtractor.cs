using System.Text;
using Pool.Sms.Encoding;

namespace Pool.Sms.Otp;

/// <summary>
/// Extracts the one-time code and the service name from a verification SMS, in any script: digits of every
/// Unicode decimal script are read and the code is given in ASCII digits. The rules, in order:
/// <list type="number">
/// <item>The WebOTP last line "@domain #code" is authoritative.</item>
/// <item>A code word (<see cref="OtpLexicon"/>: code, OTP, kod, رمز, 验证码, 인증번호, รหัส … in 30 languages) points at
/// the nearest candidate after it (up to 40 characters) or before it (up to 40); a sentence end between weakens
/// the pointing. Letters-and-digits and capital-letters codes are taken only right after a code word.</item>
/// <item>A code word made another kind of code by its neighbour (promo code, código de descuento, 优惠码,
/// Rabattcode, رمز التتبع) points at nothing a user should type.</item>
/// <item>A number named by the word before it (card, account, ID, ref, order, ticket, phone, 尾号), masked
/// (*7731, XX0917), an amount (currency either side), a percentage, a date, a time, a phone number, a link's
/// digits or a brand's digits is never a code.</item>
/// <item>A promotion (sale, coupon, discount…) with no word of signing in or verifying gives no code.</item>
/// <item>With no code word, a lone number is taken only when it is the message's only number and the message
/// speaks of verifying or signing in, or is hardly more than the number.</item>
/// </list>
/// </summary>
public static class OtpExtractor
{
    /// <summary>How far after a code word a code may stand ("您的验证码为:", "code is: ", "کد تایید شما: ").</summary>
    private const int ForwardReach = 40;

    /// <summary>How far before a code word a code may stand ("979714(登录验证码)", "123456 is your Google verification code").</summary>
    private const int BackwardReach = 40;

    /// <summary>How far after a code word a code introduced by a colon or "is" may stand ("code for the 1.234,56 EUR payment with card *4521 is 583017").</summary>
    private const int IntroducedReach = 120;

    /// <summary>How far after its code word a code of nine or ten digits may stand ("login code: 417093528").</summary>
    private const int LongReach = 3;

    /// <summary>
    /// The most characters read: a concatenated SMS may run to 39 015 (255 parts of 153), but a verification code
    /// stands near the start, and the extractor's work grows with code words times candidates.
    /// </summary>
    public const int MaxLength = 4096;

    /// <summary>What a sentence end between a code word and a candidate costs.</summary>
    private const int SentencePenalty = 30;

    /// <summary>Combining marks, superscripts, letterlike and number forms, enclosed alphanumerics, CJK compatibility, ligatures, presentation forms, half-width forms.</summary>
    private static readonly (char First, char Last)[] s_compatibility =
    [
        ('\u0300', '\u036F'), ('\u2070', '\u218F'), ('\u2460', '\u24FF'), ('\u3200', '\u33FF'), ('\uF900', '\uFAFF'),
        ('\uFB00', '\uFDFF'), ('\uFE30', '\uFE4F'), ('\uFE70', '\uFEFF'), ('\uFF5F', '\uFFEF'),
    ];

    private static readonly System.Buffers.SearchValues<char> s_currencySymbols = System.Buffers.SearchValues.Create("$€£¥₹₺₽₩₫₪฿");

    [ThreadStatic]
    private static Reader? t_reader;

    /// <summary>The code and service in <paramref name="text"/>, or null when it names neither.</summary>
    public static OtpMatch? Extract(string? text)
    {
        var reading = Read(text);
        return reading.Code is null && reading.Service is null ? null : new OtpMatch(reading.Code, reading.Service);
    }

    /// <summary>The code and service in <paramref name="text"/> with the rule that decided (never null); only the first <see cref="MaxLength"/> characters are read.</summary>
    public static OtpReading Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new OtpReading(null, null, "no code: empty text");
        }

        if (text.Length > MaxLength)
        {
            // Never split a surrogate pair.
            text = text[..(char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength)];
        }

        if (!Ascii.IsValid(text) || text.Contains('\0', StringComparison.Ordinal))
        {
            text = Normalized(text);
        }

        var reader = t_reader ??= new Reader();
        return reader.Read(text);
    }

    /// <summary>NUL and unpaired surrogates replaced; full-width digits and letters, ligatures and presentation forms as their plain characters (【】 stay).</summary>
    private static string Normalized(string text)
    {
        text = StoredText.Clean(text);

        // NFKC only where it changes something for the extractor: combining marks to compose (decomposed
        // Vietnamese), compatibility characters (ligatures, presentation forms, enclosed and full-width forms).
        // Full-width ASCII and every decimal digit are read by OtpText itself, so plain CJK text skips the pass.
        if (HasCompatibilityCharacters(text) && !text.IsNormalized(NormalizationForm.FormKC))
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        return text;
    }

    /// <summary>One thread's buffers, reused from message to message.</summary>
    private sealed class Reader
    {
        private readonly OtpText _text = new();
        private readonly List<CodeCandidate> _candidates = [];
        private readonly List<Range> _blocked = [];
        private readonly List<Range> _brackets = [];

        // _ends[i]: sentence ends in the text before position i, so the ends between two places are one subtraction;
        // counted when first needed.
        private int[] _ends = new int[257];
        private bool _endsCounted;

        public OtpReading Read(string original)
        {
            _text.Read(original);
            _brackets.Clear();
            ServiceNames.FindBrackets(original, _brackets);
            var service = ServiceNames.Of(original, _text, _brackets);
            if (WebOtp.TryParse(original, out var domain, out var webCode))
            {
                return new OtpReading(webCode, service ?? domain, $"WebOTP line '@{Bounded(domain)}'");
            }

            var (code, why) = Code(original);
            return new OtpReading(code, service, why);
        }

        private (string? Code, string Why) Code(string original)
        {
            _endsCounted = false;
            _candidates.Clear();
            _blocked.Clear();
            ServiceNames.AddBrandSpans(original, _brackets, _blocked);
            Links.AddSpans(_text, _blocked);
            var appHash = AppHash.AddSpan(_text.Chars, _blocked);
            CodeCandidates.Find(_text, _blocked, _candidates, out var numbers);
            if (FirstCodeWordEnd() is var from and >= 0)
            {
                // Only a code word before it can point at what a colon or "is" introduces.
                CodeCandidates.AddIntroduced(_text, _candidates, from);
            }

            for (var c = _candidates.Count - 1; c >= 0; c--)
            {
                if (Inside(_candidates[c].Start, _blocked))
                {
                    _candidates.RemoveAt(c);
                    continue;
                }

                _candidates[c].Introduced = IsIntroduced(_candidates[c].Start);
            }

            var tokens = _text.Tokens;
            var promotion = false;
            for (var k = 0; k < tokens.Count; k++)
            {
                var keyword = tokens[k];
                if (!keyword.Is(Lex.Code) || Inside(keyword.Start, _blocked))
                {
                    continue;
                }

                var promo = IsOtherKindOfCode(k);
                promotion |= promo;
                if (!promo && CodeCandidates.AfterKeyword(_text, keyword, k) is { } lettered
                    && !CodeCandidates.StartsAt(_candidates, lettered.Start))
                {
                    lettered.Introduced = true;
                    _candidates.Add(lettered);
                }

                foreach (var candidate in _candidates)
                {
                    Point(k, candidate, promo);
                }
            }

            foreach (var candidate in _candidates)
            {
                candidate.RuledOut ??= CodeTraps.Of(_text, candidate, _candidates);
            }

            RuleOutStale();
            var marketing = IsMarketing();
            CodeCandidate? best = null;
            foreach (var candidate in _candidates)
            {
                if (candidate.RuledOut is null && candidate.Score != int.MaxValue && (best is null || candidate.Score < best.Score))
                {
                    best = candidate;
                }
            }

            if (best is not null)
            {
                if (marketing)
                {
                    return (null, "no code: a promotion (no word of verifying or signing in)");
                }

                return (best.CodeIn(_text.Chars), $"{(best.After ? "after" : "before")} code word '{KeywordOf(best)}'");
            }

            var near = _candidates.Find(c => c.Score != int.MaxValue && c.RuledOut is not null);
            if (near is not null)
            {
                return (null, $"no code: the number near code word '{KeywordOf(near)}' is {near.RuledOut}");
            }

            if (promotion)
            {
                return (null, "no code: the code word names a promotion or reference code");
            }

            return Lone(numbers, marketing, appHash);
        }

        /// <summary>
        /// A promotion: no word of verifying or signing in, and at least two signs of selling — a sales word (sale,
        /// discount, coupon, 优惠: two signs each), an opt-out word (STOP, 退订), a percentage, an exclamation, a price.
        /// </summary>
        private bool IsMarketing()
        {
            var chars = _text.Chars;
            if ((_text.All & Lex.Intent) != 0 || ((_text.All & (Lex.Marketing | Lex.OptOut)) == 0 && !chars.Contains('%')))
            {
                return false;
            }

            var signs = 0;
            foreach (var token in _text.Tokens)
            {
                signs += token.Is(Lex.Marketing) ? 2 : token.Is(Lex.OptOut) ? 1 : 0;
            }

            signs += chars.Contains('%') ? 1 : 0;
            signs += chars.IndexOfAny('!', '！') >= 0 ? 1 : 0;
            var price = chars.IndexOfAny(s_currencySymbols);
            signs += price >= 0 && price + 1 < chars.Length && char.IsAsciiDigit(chars[price + 1]) ? 1 : 0;
            return signs >= 2;
        }

        /// <summary>
        /// Of two codes pointed at, one in a sentence that says it is spent ("The code 481220 we sent earlier is no
        /// longer valid. Your new code is 903517.") is not the one to type.
        /// </summary>
        private void RuleOutStale()
        {
            if ((_text.All & Lex.Stale) == 0)
            {
                return;
            }

            var standing = 0;
            foreach (var candidate in _candidates)
            {
                standing += candidate.RuledOut is null && candidate.Score != int.MaxValue ? 1 : 0;
            }

            if (standing < 2)
            {
                return;
            }

            foreach (var candidate in _candidates)
            {
                if (candidate.RuledOut is null && candidate.Score != int.MaxValue && SentenceHas(candidate, Lex.Stale))
                {
                    candidate.RuledOut = "a code the message says is spent";
                }
            }
        }

        /// <summary>True when a word of <paramref name="lex"/> stands in the sentence of <paramref name="candidate"/>.</summary>
        private bool SentenceHas(CodeCandidate candidate, Lex lex)
        {
            var chars = _text.Chars;
            var start = candidate.Start;
            while (start > 0 && !IsSentenceEnd(chars, start - 1))
            {
                start--;
            }

            var end = candidate.End;
            while (end < chars.Length && !IsSentenceEnd(chars, end))
            {
                end++;
            }

            foreach (var token in _text.Tokens)
            {
                if (token.Start >= start && token.End <= end && token.Is(lex))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsSentenceEnd(ReadOnlySpan<char> chars, int i) =>
            chars[i] is '\n' or '。' or '!' or '?' or '！' or '？' or ';' || (chars[i] == '.' && (i + 1 == chars.Length || chars[i + 1] is ' ' or '\n'));

        /// <summary>A colon or a connector word stands right before <paramref name="position"/>.</summary>
        private bool IsIntroduced(int position)
        {
            var chars = _text.Chars;
            var p = position - 1;
            if (p >= 1 && chars[p] == '-' && char.IsAsciiLetterUpper(chars[p - 1]))
            {
                // "is ZRM-730264": the code's own letter prefix.
                p--;
                while (p >= 0 && char.IsAsciiLetterUpper(chars[p]))
                {
                    p--;
                }
            }

            while (p >= 0 && chars[p] is ' ' or '(' or '[' or '【' or '"' or '«' or '“' or '\n')
            {
                p--;
            }

            if (p < 0)
            {
                return false;
            }

            if (chars[p] is ':' or '：' or '=')
            {
                return true;
            }

            var index = _text.TokenEndingAt(p + 1);
            return index >= 0 && _text.Tokens[index].Kind != TokenKind.Digits && _text.Tokens[index].Is(Lex.Connector);
        }

        /// <summary>With no code word pointing: a lone number in a message about verifying, or a message that is hardly more than the number.</summary>
        private (string? Code, string Why) Lone(int numbers, bool marketing, bool appHash)
        {
            CodeCandidate? lone = null;
            var standing = 0;
            foreach (var candidate in _candidates)
            {
                if (candidate.RuledOut is null && candidate.Kind is CandidateKind.Digits or CandidateKind.Split && !candidate.IsYearIn(_text.Chars))
                {
                    lone = candidate;
                    standing++;
                }
            }

            if (lone is null || standing != 1 || numbers != 1)
            {
                return (null, numbers == 0 ? "no code: no number" : $"no code: no code word, {numbers} number{(numbers == 1 ? "" : "s")} and none alone");
            }

            if (appHash)
            {
                return (lone.CodeIn(_text.Chars), "the only number in a message with an app hash (SMS Retriever)");
            }

            if ((_text.All & (Lex.Intent | Lex.Validity)) != 0 && !marketing)
            {
                return (lone.CodeIn(_text.Chars), "the only number in a message about verifying or signing in");
            }

            var words = 0;
            foreach (var token in _text.Tokens)
            {
                words += token.Kind != TokenKind.Digits && !Inside(token.Start, _blocked) ? 1 : 0;
            }

            return words <= 1
                ? (lone.CodeIn(_text.Chars), "the message is hardly more than the number")
                : (null, "no code: a lone number in a message that does not speak of a code");
        }

        /// <summary>Records on <paramref name="candidate"/> how near <paramref name="keyword"/> points at it, if nearer than before.</summary>
        private void Point(int k, CodeCandidate candidate, bool promo)
        {
            var keyword = _text.Tokens[k];
            int score;
            bool after;
            var lettersOnly = candidate.Kind is CandidateKind.Letters or CandidateKind.LongDigits;
            var reach = candidate.Kind == CandidateKind.LongDigits ? LongReach : candidate.Introduced && !lettersOnly ? IntroducedReach : ForwardReach;
            if (candidate.Start >= keyword.End && candidate.Start - keyword.End <= reach)
            {
                score = (candidate.Start - keyword.End) * 2;
                after = true;
                var breaks = Breaks(keyword.End, candidate.Start);
                if (breaks > 0 && candidate.Kind is CandidateKind.Letters or CandidateKind.Alphanumeric)
                {
                    // A code of letters is read only in the code word's own sentence.
                    return;
                }

                score += breaks * SentencePenalty;
            }
            else if (candidate.End <= keyword.Start && keyword.Start - candidate.End <= BackwardReach && !lettersOnly)
            {
                score = ((keyword.Start - candidate.End) * 3) + 1;
                after = false;
                score += Breaks(candidate.End, keyword.Start) * SentencePenalty;
            }
            else
            {
                return;
            }

            if (candidate.IsYearIn(_text.Chars))
            {
                score += 10;
            }

            if (score >= candidate.Score)
            {
                return;
            }

            candidate.Score = score;
            candidate.After = after;
            candidate.Keyword = k;
            candidate.RuledOut = promo ? "a code of another kind (its code word names a promotion or reference)" : null;
        }

        /// <summary>Where the first code word outside a brand or a link ends, or -1.</summary>
        private int FirstCodeWordEnd()
        {
            foreach (var token in _text.Tokens)
            {
                if (token.Is(Lex.Code) && !Inside(token.Start, _blocked))
                {
                    return token.End;
                }
            }

            return -1;
        }

        private void CountSentenceEnds()
        {
            var chars = _text.Chars;
            if (_ends.Length <= chars.Length)
            {
                _ends = new int[chars.Length + 1];
            }

            _ends[0] = 0;
            for (var i = 0; i < chars.Length; i++)
            {
                _ends[i + 1] = _ends[i] + (IsSentenceEnd(chars, i) ? 1 : 0);
            }
        }

        /// <summary>The code word that points at <paramref name="candidate"/>, as written, at most 40 characters.</summary>
        private string KeywordOf(CodeCandidate candidate)
        {
            var keyword = _text.Tokens[candidate.Keyword];
            return Bounded(_text.Lower[keyword.Start..keyword.End].ToString());
        }

        /// <summary>Sentence ends between two places: ". ", "。", "!", "?", a line break.</summary>
        private int Breaks(int from, int to)
        {
            if (!_endsCounted)
            {
                CountSentenceEnds();
                _endsCounted = true;
            }

            return _ends[to] - _ends[from];
        }

        /// <summary>A code word that its neighbour makes a promotion's, a reference's or a tracking code ("promo code", "code de réduction").</summary>
        private bool IsOtherKindOfCode(int k)
        {
            var tokens = _text.Tokens;
            var keyword = tokens[k];
            if (keyword.Is(Lex.NotOtp))
            {
                return true;
            }

            if (keyword.Is(Lex.Strong) && keyword.Kind == TokenKind.Entry)
            {
                return false;
            }

            if (k > 0 && Adjacent(tokens[k - 1], keyword) && tokens[k - 1].Is(Lex.NotOtp) && !tokens[k - 1].Is(Lex.Code))
            {
                return true;
            }

            if (k + 1 < tokens.Count && Adjacent(keyword, tokens[k + 1]))
            {
                var next = tokens[k + 1];
                if (next.Is(Lex.NotOtp) && !next.Is(Lex.Code))
                {
                    return true;
                }

                if (next.Kind == TokenKind.Word && IsLinkWord(next) && k + 2 < tokens.Count && Adjacent(next, tokens[k + 2]))
                {
                    return tokens[k + 2].Is(Lex.NotOtp) && !tokens[k + 2].Is(Lex.Code);
                }
            }

            return false;
        }

        /// <summary>"de", "di", "do", "da", "del", "du": the word that links a Romance code word to what kind it is.</summary>
        private bool IsLinkWord(Token token) =>
            _text.Lower[token.Start..token.End] is "de" or "di" or "do" or "da" or "del" or "du" or "dla" or "pro";

        private bool Adjacent(Token first, Token second)
        {
            var gap = _text.Chars[first.End..second.Start];
            return gap.Length <= 2 && !gap.ContainsAnyExcept(' ', '-');
        }

        private static bool Inside(int position, List<Range> spans)
        {
            foreach (var span in spans)
            {
                if (position >= span.Start.Value && position < span.End.Value)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static bool HasCompatibilityCharacters(string text)
    {
        foreach (var (first, last) in s_compatibility)
        {
            if (text.AsSpan().IndexOfAnyInRange(first, last) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value from the message for the reason text: at most 40 characters.</summary>
    private static string Bounded(string? value) => value is null ? "" : value.Length <= 40 ? value : value[..40];
}
