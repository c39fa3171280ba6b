using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Pool.Sms.Encoding;

/// <summary>
/// UCS-2 message bodies, read as UTF-16 big-endian: surrogate pairs (emoji and other characters
/// beyond the BMP, which phones send despite the name) pass through as UTF-16 code units.
/// </summary>
public static class Ucs2
{
    /// <summary>What a trailing odd byte decodes to in the lenient form.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>Decodes big-endian code units; a trailing odd byte, an unpaired surrogate and a NUL become U+FFFD. Never throws.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var text = DecodeUnits(bytes);
        return bytes.Length % 2 == 0 ? text : text + Replacement;
    }

    /// <summary>Decodes big-endian code units strictly: an odd byte count is an error.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? error)
    {
        if (bytes.Length % 2 != 0)
        {
            text = null;
            error = $"UCS-2 body has an odd length ({bytes.Length} bytes); the last byte is half a character";
            return false;
        }

        text = DecodeUnits(bytes);
        error = null;
        return true;
    }

    /// <summary>Encodes <paramref name="text"/> as big-endian UTF-16 code units.</summary>
    public static byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[text.Length * 2];
        for (var i = 0; i < text.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i * 2), text[i]);
        }

        return bytes;
    }

    private static string DecodeUnits(ReadOnlySpan<byte> bytes)
    {
        var units = new char[bytes.Length / 2];
        for (var i = 0; i < units.Length; i++)
        {
            units[i] = (char)BinaryPrimitives.ReadUInt16BigEndian(bytes[(i * 2)..]);
        }

        // An unpaired surrogate (half an emoji) or a NUL cannot be kept as text: each becomes U+FFFD.
        return StoredText.Clean(new string(units));
    }
}
