using System.Text;

namespace Pool.Contracts.Errors;

/// <summary>
/// How an answer or a log line repeats what a client sent: at most a bounded prefix of it, with the
/// count of what was left out. A client can send a value of megabytes; an error that repeated it whole
/// would exceed what HTTP/2 clients accept in trailers, and a log line would grow as large. Bounds are
/// in UTF-8 bytes, what the answer costs on the wire.
/// </summary>
public static class Echo
{
    /// <summary>Bytes of one client value repeated in a message.</summary>
    public const int MaxValue = 64;

    /// <summary>Bytes of one error message, whatever it holds.</summary>
    public const int MaxMessage = 512;

    /// <summary>The client's value between quotes, cut after <paramref name="maxBytes"/> bytes.</summary>
    public static string Quote(string? value, int maxBytes = MaxValue) => $"'{Bound(value ?? string.Empty, maxBytes)}'";

    /// <summary>
    /// <paramref name="text"/> itself when its UTF-8 form has at most <paramref name="maxBytes"/> bytes;
    /// otherwise its longest prefix of whole characters that fits, and "…(+N more)" counting the
    /// characters (UTF-16 code units) left out.
    /// </summary>
    public static string Bound(string text, int maxBytes = MaxMessage)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (text.Length <= maxBytes / 3 || Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        int keep = 0, bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            keep += rune.Utf16SequenceLength;
        }

        return $"{text[..keep]}…(+{text.Length - keep} more)";
    }
}
