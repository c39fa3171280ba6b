namespace Pool.Contracts.Errors;

/// <summary>
/// How an answer or a log line repeats what a client sent: at most a bounded prefix of it, with the
/// count of what was left out. A client can send a value of megabytes; an error that repeated it whole
/// would exceed what HTTP/2 clients accept in trailers, and a log line would grow as large.
/// </summary>
public static class Echo
{
    /// <summary>Characters of one client value repeated in a message.</summary>
    public const int MaxValue = 64;

    /// <summary>Characters of one error message, whatever it holds.</summary>
    public const int MaxMessage = 512;

    /// <summary>The client's value between quotes, cut after <paramref name="max"/> characters.</summary>
    public static string Quote(string? value, int max = MaxValue) => $"'{Bound(value ?? string.Empty, max)}'";

    /// <summary>
    /// <paramref name="text"/> itself when it has at most <paramref name="max"/> characters; otherwise its
    /// first <paramref name="max"/> characters (never half a surrogate pair) and "…(+N more)".
    /// </summary>
    public static string Bound(string text, int max = MaxMessage)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (text.Length <= max)
        {
            return text;
        }

        var keep = max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return $"{text[..keep]}…(+{text.Length - keep} more)";
    }
}
