namespace Pool.Sms.Otp;

/// <summary>A run of text that could be a code: where it stands, the code it would give, and why it was ruled out (null while it stands).</summary>
internal sealed class CodeCandidate(int start, int end, CandidateKind kind)
{
    public int Start { get; } = start;

    public int End { get; } = end;

    /// <summary>The code as typed: ASCII digits (split forms joined), or the letters and digits as written.</summary>
    public string CodeIn(ReadOnlySpan<char> chars)
    {
        var run = chars[Start..End];
        if (Kind != CandidateKind.Split)
        {
            return run.ToString();
        }

        Span<char> code = stackalloc char[run.Length];
        var length = 0;
        foreach (var c in run)
        {
            if (char.IsAsciiDigit(c))
            {
                code[length++] = c;
            }
        }

        return code[..length].ToString();
    }

    /// <summary>Four digits that read as a year (1900–2099, or 2500–2599 in the Thai calendar).</summary>
    public bool IsYearIn(ReadOnlySpan<char> chars) =>
        Kind == CandidateKind.Digits && End - Start == 4 && chars[Start..End] is ['1', '9', ..] or ['2', '0', ..] or ['2', '5', ..];

    public CandidateKind Kind { get; } = kind;

    /// <summary>Why this is not a code ("a card or account tail", "an amount"); null while it may be one.</summary>
    public string? RuledOut { get; set; }

    /// <summary>The keyword that points at it and the score of that pointing (lower is nearer); int.MaxValue when none does.</summary>
    public int Score { get; set; } = int.MaxValue;

    /// <summary>The index of the code word token that points at it, or -1.</summary>
    public int Keyword { get; set; } = -1;

    public bool After { get; set; }

    /// <summary>A colon or a connector word ("is", "lautet", "هو", "คือ") stands right before it: a code word further back may name it.</summary>
    public bool Introduced { get; set; }
}

/// <summary>What kind of run a candidate is.</summary>
internal enum CandidateKind : byte
{
    /// <summary>4–8 digits.</summary>
    Digits,

    /// <summary>9 or 10 digits: a code only right after its code word ("login code: 417093528").</summary>
    LongDigits,

    /// <summary>Digits in groups: "123 456", "123-456", "1234 5678", "12 34 56".</summary>
    Split,

    /// <summary>Letters and digits mixed, right after a code word ("AB12CD").</summary>
    Alphanumeric,

    /// <summary>Letters only, right after a code word ("KQXWTR").</summary>
    Letters,
}
