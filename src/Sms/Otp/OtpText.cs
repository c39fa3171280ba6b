using System.Globalization;

namespace Pool.Sms.Otp;

/// <summary>
/// An SMS text read for codes: every Unicode decimal digit (Persian ۴, Arabic-Indic ٤, Devanagari ४, Thai ๔,
/// full-width ４, …) as its ASCII digit, full-width ASCII as ASCII, every space as ' ', every dash as '-',
/// position for position with the text; its words and digit runs as tokens, each word with what the
/// <see cref="OtpLexicon"/> says of it. Scripts written without spaces (Chinese, Japanese, Korean, Thai)
/// are searched for the lexicon's entries instead of being cut into words.
/// </summary>
internal sealed class OtpText
{
    private char[] _chars = new char[256];
    private char[] _lower = new char[256];

    // Token index + 1 of the token that starts / ends at a position (0: none), so neighbours are found in O(1).
    private int[] _startsAt = new int[257];
    private int[] _endsAt = new int[257];

    /// <summary>The text with ASCII digits, spaces and dashes, case kept.</summary>
    public ReadOnlySpan<char> Chars => _chars.AsSpan(0, Length);

    /// <summary>The same, in lower case (the lexicon's case).</summary>
    public ReadOnlySpan<char> Lower => _lower.AsSpan(0, Length);

    public int Length { get; private set; }

    /// <summary>Words, lexicon entries of unspaced scripts, and runs of digits, in text order.</summary>
    public List<Token> Tokens { get; } = [];

    /// <summary>Every lexicon flag some token carries.</summary>
    public Lex All { get; private set; }

    /// <summary>Reads <paramref name="text"/> (already NFKC-normalised).</summary>
    public void Read(string text)
    {
        Length = text.Length;
        if (_chars.Length < Length)
        {
            _chars = new char[Length];
            _lower = new char[Length];
            _startsAt = new int[Length + 1];
            _endsAt = new int[Length + 1];
        }

        _startsAt.AsSpan(0, Length + 1).Clear();
        _endsAt.AsSpan(0, Length + 1).Clear();
        var hasUnspaced = false;
        if (System.Text.Ascii.IsValid(text))
        {
            // Most SMS are plain ASCII: copy and lower-case them in vectorised passes.
            text.AsSpan().CopyTo(_chars);
            System.Text.Ascii.ToLower(text, _lower, out _);
            if (text.AsSpan().IndexOfAny('\t', '\v', '\f') >= 0)
            {
                for (var i = 0; i < text.Length; i++)
                {
                    if (_chars[i] is '\t' or '\v' or '\f')
                    {
                        _chars[i] = _lower[i] = ' ';
                    }
                }
            }

            Tokens.Clear();
            All = Lex.None;
            Cut(hasUnspaced: false);
            Classify();
            return;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 0x3040 && IsUnspaced(c))
            {
                // No case and no digits in these scripts (Thai, Lao, Khmer and Myanmar have digits: they take the long way).
                _chars[i] = _lower[i] = c;
                hasUnspaced = true;
                continue;
            }

            hasUnspaced |= c >= 0x0E00 && IsUnspaced(c);

            c = Map(c);
            _chars[i] = c;
            _lower[i] = ToLower(c);
        }

        Tokens.Clear();
        All = Lex.None;
        Cut(hasUnspaced);
        Classify();
    }

    /// <summary>The index of the token that ends at <paramref name="position"/> (exclusive end), or -1.</summary>
    public int TokenEndingAt(int position) => position >= 0 && position <= Length ? _endsAt[position] - 1 : -1;

    /// <summary>The index of the token that starts at <paramref name="position"/>, or -1.</summary>
    public int TokenStartingAt(int position) => position >= 0 && position < Length ? _startsAt[position] - 1 : -1;

    /// <summary>True for a letter of a script written without spaces between words.</summary>
    public static bool IsUnspaced(char c) =>
        c is (>= '\u0E00' and <= '\u0EFF') // Thai, Lao
            or (>= '\u1000' and <= '\u109F') // Myanmar
            or (>= '\u1780' and <= '\u17FF') // Khmer
            or (>= '\u1100' and <= '\u11FF') // Hangul Jamo
            or (>= '\u3040' and <= '\u30FF') // Hiragana, Katakana
            or (>= '\u3130' and <= '\u318F') // Hangul compatibility Jamo
            or (>= '\u31F0' and <= '\u31FF')
            or (>= '\u3400' and <= '\u4DBF') // CJK extension A
            or (>= '\u4E00' and <= '\u9FFF') // CJK unified ideographs
            or (>= '\uAC00' and <= '\uD7AF') // Hangul syllables
            or (>= '\uF900' and <= '\uFAFF')
            or (>= '\uFF66' and <= '\uFF9F'); // half-width Katakana

    /// <summary>
    /// The invariant lower case of every UTF-16 code unit, computed once: a call into the culture machinery per
    /// character would cost more than the rest of the extraction.
    /// </summary>
    private static readonly char[] s_lower = BuildLower();

    private static char ToLower(char c) => s_lower[c];

    private static char[] BuildLower()
    {
        var lower = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            lower[c] = char.IsSurrogate((char)c) ? (char)c : char.ToLowerInvariant((char)c);
        }

        return lower;
    }

    private static char Map(char c)
    {
        if (c < 0x80)
        {
            return c is '\t' or '\v' or '\f' ? ' ' : c;
        }

        if (char.IsDigit(c))
        {
            return (char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c));
        }

        return c switch
        {
            >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
            '\u066B' => '.', // Arabic decimal separator
            '\u066C' => ',', // Arabic thousands separator
            '\u060C' => ',', // Arabic comma
            '\u061B' => ';',
            '\u06D4' or '\u0589' or '\u0964' or '\u0965' or '\u104B' or '\u17D4' or '\u1362' => '.', // Urdu, Armenian, Devanagari, Burmese, Khmer, Ethiopic full stops
            '\u3002' or '\uFF61' => '。',
            >= '\u2010' and <= '\u2015' => '-',
            '\u2212' or '\uFE63' or '\uFF0D' => '-',
            '\u00A0' or '\u2007' or '\u202F' or '\u3000' or '\u200B' => ' ',
            '\u2028' or '\u2029' or '\u0085' => '\n',
            _ when c is >= '\u2000' and <= '\u200A' => ' ',
            _ => c,
        };
    }

    private static bool IsWordChar(char c) =>
        c < 0x80
            ? char.IsAsciiLetter(c)
            : char.IsLetter(c) || c is '\u200C' or '\u200D' or '\u0640'
              || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private void Cut(bool hasUnspaced)
    {
        // Per character: words and the gaps between them are a few characters long, shorter than a vectorised
        // search pays for.
        var chars = Chars;
        var i = 0;
        while (i < chars.Length)
        {
            var c = chars[i];
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (++i < chars.Length && char.IsAsciiDigit(chars[i]))
                {
                }

                Add(new Token(start, i, TokenKind.Digits, Lex.None));
            }
            else if (c < 0x80 ? char.IsAsciiLetter(c) : (!(hasUnspaced && IsUnspaced(c)) && IsWordChar(c)))
            {
                var start = i;
                while (++i < chars.Length)
                {
                    var next = chars[i];
                    if (next < 0x80 ? !char.IsAsciiLetter(next) : (hasUnspaced && IsUnspaced(next)) || !IsWordChar(next))
                    {
                        break;
                    }
                }

                Add(new Token(start, i, TokenKind.Word, Lex.None));
            }
            else if (hasUnspaced && c >= 0x0E00 && IsUnspaced(c))
            {
                var start = i;
                while (i < chars.Length && chars[i] >= 0x0E00 && (IsUnspaced(chars[i]) || chars[i] == '\u30FC'))
                {
                    i++;
                }

                FindEntries(start, i);
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>The lexicon's entries inside a run of an unspaced script, the longest at a place winning, not overlapping.</summary>
    private void FindEntries(int start, int end)
    {
        var lower = Lower;
        var i = start;
        while (i < end)
        {
            var found = false;
            if (OtpLexicon.MayStartUnspaced(lower[i]) && OtpLexicon.UnspacedByFirst.TryGetValue(lower[i], out var entries))
            {
                foreach (var (text, lex) in entries)
                {
                    if (lower[i..end].StartsWith(text, StringComparison.Ordinal))
                    {
                        Add(new Token(i, i + text.Length, TokenKind.Entry, lex));
                        All |= lex;
                        i += text.Length;
                        found = true;
                        break;
                    }
                }
            }

            if (!found)
            {
                i++;
            }
        }
    }

    private void Add(Token token)
    {
        Tokens.Add(token);
        _startsAt[token.Start] = Tokens.Count;
        _endsAt[token.End] = Tokens.Count;
    }

    private void Classify()
    {
        var lower = Lower;
        var tokens = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Tokens);
        for (var t = 0; t < tokens.Length; t++)
        {
            ref var token = ref tokens[t];
            if (token.Kind != TokenKind.Word)
            {
                continue;
            }

            var next = t + 1 < tokens.Length && tokens[t + 1].Kind == TokenKind.Word ? lower[tokens[t + 1].Start..tokens[t + 1].End] : default;
            var lex = OtpLexicon.Of(lower[token.Start..token.End], next);
            if (lex != Lex.None)
            {
                token = token with { Lex = lex };
                All |= lex;
            }
        }
    }
}

/// <summary>What a token is.</summary>
internal enum TokenKind : byte
{
    /// <summary>A run of letters of a script written with spaces.</summary>
    Word,

    /// <summary>A lexicon entry found inside a run of an unspaced script.</summary>
    Entry,

    /// <summary>A run of ASCII digits (after mapping).</summary>
    Digits,
}

/// <summary>A token: where it stands in the text, what it is, and what the lexicon says of it.</summary>
internal readonly record struct Token(int Start, int End, TokenKind Kind, Lex Lex)
{
    public int Length => End - Start;

    public bool Is(Lex lex) => (Lex & lex) != 0;
}
