using System.Text;

namespace Pool.Sms.Encoding;

/// <summary>
/// Text as Pool can keep and process it: PostgreSQL refuses U+0000 in text, and .NET's normalisation
/// refuses an unpaired UTF-16 surrogate. Carriers send both (a NUL byte in Latin-1 or UCS-2 data, half
/// an emoji cut at a part boundary); each becomes U+FFFD, the Unicode replacement character, so the
/// message is stored (its raw bytes are kept beside it) instead of failing for ever.
/// </summary>
public static class StoredText
{
    /// <summary>What a NUL or an unpaired surrogate becomes.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary><paramref name="text"/> with every NUL and unpaired surrogate replaced; the same instance when there is none.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = FirstBad(text);
        if (first < 0)
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        clean.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                clean.Append(Replacement);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                clean.Append(Replacement);
            }
            else
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    /// <summary><see cref="Clean(string)"/> for an optional value.</summary>
    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    private static int FirstBad(string text)
    {
        // Most texts hold neither NUL nor a surrogate: one vectorised search says so.
        var nul = text.AsSpan().IndexOf('\0');
        var surrogate = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (nul < 0 && surrogate < 0)
        {
            return -1;
        }

        var start = nul < 0 ? surrogate : surrogate < 0 ? nul : Math.Min(nul, surrogate);
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return i;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }
}
