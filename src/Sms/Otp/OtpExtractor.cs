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

    /// <summary>The same, for one a colon or "is" introduces ("login code is 417093528").</summary>
    private const int LongIntroducedReach = 12;

    /// <summary>
    /// The most characters read: a concatenated SMS may run to 39 015 (255 parts of 153), but a verification code
    /// stands near the start, and the extractor's work grows with code words times candidates.
    /// </summary>
    public const int MaxLength = 4096;

    /// <summary>The most code words and candidates weighed against each other: real messages have a few of each, and the work grows with their product.</summary>
    private const int MaxCodeWords = 16;

    private const int MaxCandidates = 48;

    /// <summary>What a sentence end between a code word and a candidate costs.</summary>
    private const int SentencePenalty = 30;

    /// <summary>Combining marks, superscripts and subscripts, letterlike and number forms, enclosed alphanumerics, CJK compatibility, ligatures, presentation forms, half-width forms (not the currency symbols between them: € needs no normalising).</summary>
    private static readonly (char First, char Last)[] s_compatibility =
    [
        ('\u0300', '\u036F'), ('\u2070', '\u209F'), ('\u2100', '\u218F'), ('\u2460', '\u24FF'), ('\u3200', '\u33FF'), ('\uF900', '\uFAFF'),
        ('\uFB00', '\uFDFF'), ('\uFE30', '\uFE4F'), ('\uFE70', '\uFEFF'), ('\uFF5F', '\uFFEF'),
    ];

    private static readonly System.Buffers.SearchValues<char> s_sentenceMarks = System.Buffers.SearchValues.Create(".。!?！？;\n");


    /// <summary>How far before a code word a warning not to share it is looked for.</summary>
    private const int WarningReach = 24;

    /// <summary>Stems of "share", "tell", "disclose" in the languages of the lexicon (lower case).</summary>
    private static readonly string[] s_warnings =
    [
        "share", "disclose", "reveal", "tell", "forward", "partag", "communiq", "compart", "condivid", "comunic", "teile", "weiterg",
        "deel ", "dela ", "udostęp", "podaw", "сообща", "говори", "переда", "повідом", "paylaş", "payla", "berikan", "kongsi", "chia s",
        "cung c", "ندهید", "تشارك", "תמסור", "बताएं", "साझा", "শেয়ার", "บอก", "泄露", "告知", "透露", "告诉", "알려", "教え", "dedahkan",
        "divulg", "никому", "нікому",
    ];

    private static readonly WordSet s_travel = new(
    [
        "booking", "booked", "flight", "reservation", "pnr", "itinerary", "departs", "departure", "boarding", "vuelo", "vol", "flug",
        "volo", "lot", "reserva", "réservation", "buchung", "prenotazione", "rezerwacja", "rezervasyon", "uçuş", "penerbangan",
        "chuyến", "рейс", "бронирование", "localizador", "reservierung",
    ]);

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
            text = text[..CutAt(text)];
        }

        if (!Ascii.IsValid(text) || text.Contains('\0', StringComparison.Ordinal))
        {
            text = Normalized(text);
        }

        var reader = t_reader ??= new Reader();
        return reader.Read(text);
    }

    /// <summary>Where to cut a text longer than <see cref="MaxLength"/>: at its last space before the limit (a code is never cut in two), never inside a surrogate pair.</summary>
    private static int CutAt(string text)
    {
        var space = text.AsSpan(0, MaxLength).LastIndexOfAny(' ', '\n');
        if (space > MaxLength - 256)
        {
            return space;
        }

        return char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
    }

    /// <summary>
    /// NUL and unpaired surrogates replaced; digits outside the basic plane (𝟒, Adlam, Brahmi…) as ASCII digits;
    /// the noncharacters U+FFFE and U+FFFF as U+FFFD (normalisation refuses them); full-width digits and letters,
    /// ligatures and presentation forms as their plain characters (【】 stay).
    /// </summary>
    private static string Normalized(string text)
    {
        text = StoredText.Clean(text);
        if (text.AsSpan().IndexOfAny('\uFFFE', '\uFFFF') >= 0)
        {
            text = text.Replace('\uFFFE', '\uFFFD').Replace('\uFFFF', '\uFFFD');
        }

        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDBFF') >= 0)
        {
            text = SupplementaryDigits(text);
        }

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

        // Where the text's sentence ends and line breaks stand, found when first needed.
        private readonly List<int> _ends = [];
        private readonly List<int> _lines = [];
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

            if (_candidates.Count > MaxCandidates)
            {
                _candidates.RemoveRange(MaxCandidates, _candidates.Count - MaxCandidates);
            }

            var tokens = _text.Tokens;
            var promotion = false;
            var codeWords = 0;
            for (var k = 0; k < tokens.Count; k++)
            {
                var keyword = tokens[k];
                if (!keyword.Is(Lex.Code) || Inside(keyword.Start, _blocked) || ++codeWords > MaxCodeWords)
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

                int? warned = null;
                foreach (var candidate in _candidates)
                {
                    if (candidate.End <= keyword.Start)
                    {
                        warned ??= IsWarnedAbout(keyword) ? 1 : 0;
                    }

                    Point(k, candidate, promo, warned == 1);
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

                if (best.Kind is CandidateKind.Alphanumeric or CandidateKind.Letters)
                {
                    if ((_text.All & Lex.Intent) == 0 && LooksLikePromotion(best))
                    {
                        return (null, "no code: a word and a number (a promotion's code) with no word of verifying or signing in");
                    }

                    if ((_text.All & Lex.Strong) == 0 && SpeaksOfTravel())
                    {
                        return (null, "no code: a booking reference (a flight or booking, and no one-time code word)");
                    }
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

            var sales = 0;
            foreach (var token in _text.Tokens)
            {
                sales += token.Is(Lex.Marketing) ? 1 : 0;
            }

            var price = chars.IndexOfAny(CodeTraps.CurrencySymbols) is var at and >= 0 && at + 1 < chars.Length && char.IsAsciiDigit(chars[at + 1]);
            var percent = chars.Contains('%');

            // An opt-out footer alone ("Reply STOP to opt out") is what US code messages carry too: it counts once,
            // and only beside a sales word, a percentage or a price.
            var signs = (sales * 2) + ((_text.All & Lex.OptOut) != 0 ? 1 : 0) + (percent ? 1 : 0)
                + (chars.IndexOfAny('!', '！') >= 0 ? 1 : 0) + (price ? 1 : 0);
            return signs >= 2 && (sales > 0 || percent || price);
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

        /// <summary>
        /// "Never share your OTP", "ห้ามบอกรหัส", "Никому не сообщайте код": a code word a warning names is mentioned, not
        /// given; it does not point back at the amount or the card before it.
        /// </summary>
        private bool IsWarnedAbout(Token keyword)
        {
            var window = _text.Lower[Math.Max(0, keyword.Start - WarningReach)..keyword.Start];
            foreach (var stem in s_warnings)
            {
                if (window.Contains(stem, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>"5291 डालें", "8302 入力": a verb of entering right after the number (languages that put the verb last).</summary>
        private bool FollowedByConnector(CodeCandidate candidate)
        {
            var chars = _text.Chars;
            var q = candidate.End;
            while (q < chars.Length && chars[q] == ' ')
            {
                q++;
            }

            var index = _text.TokenStartingAt(q);
            return index >= 0 && _text.Tokens[index].Kind != TokenKind.Digits && _text.Tokens[index].Is(Lex.Connector);
        }

        /// <summary>"WELCOME10", "SAVE20", "HEMAT20": a word and then a number, as promotion codes are made; one-time codes are random.</summary>
        private bool LooksLikePromotion(CodeCandidate candidate)
        {
            var run = _text.Chars[candidate.Start..candidate.End];
            var letters = run.IndexOfAnyInRange('0', '9');
            if (letters < 3 || run[letters..].ContainsAnyExceptInRange('0', '9') || run.Length - letters > 3)
            {
                return false;
            }

            var vowels = 0;
            foreach (var c in run[..letters])
            {
                vowels += "aeiouAEIOU".Contains(c, StringComparison.Ordinal) ? 1 : 0;
            }

            return vowels > 0;
        }

        /// <summary>A flight, a booking, a reservation: the letters after "confirmation code" are a booking reference.</summary>
        private bool SpeaksOfTravel()
        {
            foreach (var token in _text.Tokens)
            {
                if (token.Kind == TokenKind.Word && s_travel.Contains(_text.Lower[token.Start..token.End]))
                {
                    return true;
                }
            }

            return false;
        }

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

            // A number that stands where a code is given: introduced ("Use 861282 to sign in", "Enter 40917", ": 691582")
            // or opening the message ("861282 — your Tinder code"); an amount or an address inside a sentence is not.
            var placed = lone.Introduced || _text.Chars[..lone.Start].Trim().IsEmpty || FollowedByConnector(lone);
            if ((_text.All & (Lex.Intent | Lex.Validity)) != 0 && !marketing && placed)
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
        private void Point(int k, CodeCandidate candidate, bool promo, bool warned)
        {
            var keyword = _text.Tokens[k];
            int score;
            bool after;
            var lettersOnly = candidate.Kind is CandidateKind.Letters or CandidateKind.LongDigits;
            var reach = candidate.Kind == CandidateKind.LongDigits ? (candidate.Introduced ? LongIntroducedReach : LongReach)
                : candidate.Introduced && !lettersOnly ? IntroducedReach : ForwardReach;
            int from, to;
            if (candidate.Start >= keyword.End && candidate.Start - keyword.End <= reach)
            {
                (from, to) = (keyword.End, candidate.Start);
                score = (to - from) * 2;
                after = true;
            }
            else if (candidate.End <= keyword.Start && keyword.Start - candidate.End <= BackwardReach && !lettersOnly && !warned)
            {
                (from, to) = (candidate.End, keyword.Start);
                score = ((to - from) * 3) + 1;
                after = false;
            }
            else
            {
                return;
            }

            var (sentences, lines) = Breaks(from, to);
            if (sentences > 0 && (!candidate.Introduced || candidate.Kind is CandidateKind.Letters or CandidateKind.Alphanumeric))
            {
                // Across a sentence end a code word names a code only through a colon or "is" ("… for 1.234,56 EUR. Code: 4821");
                // "Never share your OTP." says nothing of the amount in the sentence before. Letters never cross.
                return;
            }

            if (lines > 0 && candidate.Kind is CandidateKind.Letters or CandidateKind.Alphanumeric && !candidate.Introduced)
            {
                return;
            }

            score += (sentences + lines) * SentencePenalty;

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
            _ends.Clear();
            _lines.Clear();
            var chars = _text.Chars;
            for (var i = chars.IndexOfAny(s_sentenceMarks); i >= 0;)
            {
                if (chars[i] == '\n')
                {
                    _lines.Add(i);
                }
                else if (IsSentenceEnd(chars, i))
                {
                    _ends.Add(i);
                }

                var next = chars[(i + 1)..].IndexOfAny(s_sentenceMarks);
                i = next < 0 ? -1 : i + 1 + next;
            }
        }

        /// <summary>The code word that points at <paramref name="candidate"/>, as written, at most 40 characters.</summary>
        private string KeywordOf(CodeCandidate candidate)
        {
            var keyword = _text.Tokens[candidate.Keyword];
            return Bounded(_text.Lower[keyword.Start..keyword.End].ToString());
        }

        /// <summary>Sentence ends (". ", "。", "!", "?", ";") and line breaks between two places.</summary>
        private (int Sentences, int Lines) Breaks(int from, int to)
        {
            if (!_endsCounted)
            {
                CountSentenceEnds();
                _endsCounted = true;
            }

            return (Between(_ends, from, to), Between(_lines, from, to));

            static int Between(List<int> positions, int from, int to)
            {
                var count = 0;
                foreach (var position in positions)
                {
                    count += position >= from && position < to ? 1 : 0;
                }

                return count;
            }
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

            if (keyword.Is(Lex.Strong))
            {
                // "OTP Ref: KXQP is 482913": a one-time code word stays one whatever stands next to it.
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

    /// <summary>Every decimal digit outside the basic plane (a surrogate pair) as its ASCII digit.</summary>
    private static string SupplementaryDigits(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsBmp || Rune.GetUnicodeCategory(rune) != System.Globalization.UnicodeCategory.DecimalDigitNumber)
            {
                builder.Append(rune.ToString());
                continue;
            }

            builder.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
        }

        return builder.ToString();
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

    /// <summary>A value from the message for the reason text: at most 40 characters, digits shown as '#'.</summary>
    internal static string Bounded(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var bounded = value.Length <= 40 ? value : value[..40];
        return bounded.AsSpan().IndexOfAnyInRange('0', '9') < 0 ? bounded : string.Create(bounded.Length, bounded, static (span, source) =>
        {
            // A reason never carries digits from the message (a domain may hold the code).
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsAsciiDigit(source[i]) ? '#' : source[i];
            }
        });
    }
}
