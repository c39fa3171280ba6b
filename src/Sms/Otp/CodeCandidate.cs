namespace Pool.Sms.Otp;

/// <summary>A run of text that could be a code: where it stands, the code it would give, and why it was ruled out (null while it stands).</summary>
internal sealed class CodeCandidate(int start, int end, string code, CandidateKind kind)
{
    public int Start { get; } = start;

    public int End { get; } = end;

    /// <summary>The code as typed: ASCII digits (split forms joined), or the letters and digits as written.</summary>
    public string Code { get; } = code;

    public CandidateKind Kind { get; } = kind;

    /// <summary>Why this is not a code ("a card or account tail", "an amount"); null while it may be one.</summary>
    public string? RuledOut { get; set; }

    /// <summary>The keyword that points at it and the score of that pointing (lower is nearer); int.MaxValue when none does.</summary>
    public int Score { get; set; } = int.MaxValue;

    public string? Keyword { get; set; }

    public bool After { get; set; }

    /// <summary>A colon or a connector word ("is", "lautet", "هو", "คือ") stands right before it: a code word further back may name it.</summary>
    public bool Introduced { get; set; }
}

/// <summary>What kind of run a candidate is.</summary>
internal enum CandidateKind : byte
{
    /// <summary>4–8 digits.</summary>
    Digits,

    /// <summary>Digits in groups: "123 456", "123-456", "1234 5678", "12 34 56".</summary>
    Split,

    /// <summary>Letters and digits mixed, right after a code word ("AB12CD").</summary>
    Alphanumeric,

    /// <summary>Letters only, right after a code word ("KQXWTR").</summary>
    Letters,
}
