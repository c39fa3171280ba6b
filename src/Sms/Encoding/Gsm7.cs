using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Pool.Sms.Encoding;

/// <summary>
/// The GSM 03.38 (3GPP TS 23.038) default 7-bit alphabet with its extension table, as septets
/// (one per byte) or packed into octets. Decoding never throws on carrier data: a value outside the
/// alphabet becomes '?'. The <c>Try…</c> forms are strict and report the first bad septet.
/// </summary>
public static class Gsm7
{
    /// <summary>The escape septet that selects the extension table for the septet after it.</summary>
    public const byte Escape = 0x1B;

    /// <summary>What a septet that is not a character of the alphabet decodes to.</summary>
    public const char Replacement = '?';

    private const string BasicTable =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private static readonly Dictionary<byte, char> s_extension = new()
    {
        [0x0A] = '\f',
        [0x14] = '^',
        [0x28] = '{',
        [0x29] = '}',
        [0x2F] = '\\',
        [0x3C] = '[',
        [0x3D] = '~',
        [0x3E] = ']',
        [0x40] = '|',
        [0x65] = '€',
    };

    private static readonly Dictionary<char, byte> s_basicByChar = BuildBasicIndex();
    private static readonly Dictionary<char, byte> s_extensionByChar = s_extension.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>Decodes unpacked septets (one per byte); unknown values and escapes become '?'.</summary>
    public static string Decode(ReadOnlySpan<byte> septets) => DecodeCore(septets, out _);

    /// <summary>
    /// Decodes unpacked septets with the national language tables <paramref name="tables"/> (TS 23.038
    /// §6.2.1.2): the locking shift table in place of the default alphabet, the single shift table in
    /// place of the default extension table.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> septets, Gsm7Tables tables) => DecodeCore(septets, out _);

    /// <summary>Decodes packed septets (see <see cref="DecodePacked(ReadOnlySpan{byte}, int, int)"/>) with the national language tables <paramref name="tables"/>.</summary>
    public static string DecodePacked(ReadOnlySpan<byte> packed, int septetCount, int fillBits, Gsm7Tables tables) =>
        Decode(Unpack(packed, septetCount, fillBits), tables);

    /// <summary>
    /// Decodes unpacked septets strictly. Fails on the first byte above 0x7F, an escape with no
    /// septet after it, or an escape followed by a value the extension table does not define;
    /// <paramref name="invalidPosition"/> is then the index of that septet, otherwise -1.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> septets, [NotNullWhen(true)] out string? text, out int invalidPosition)
    {
        var decoded = DecodeCore(septets, out invalidPosition);
        text = invalidPosition < 0 ? decoded : null;
        return invalidPosition < 0;
    }

    /// <summary>
    /// Decodes <paramref name="septetCount"/> septets packed 7-bit into <paramref name="packed"/>, the first
    /// starting <paramref name="fillBits"/> bits into the first octet (the alignment after a UDH).
    /// Septets the data is too short to hold are left out, never invented.
    /// </summary>
    public static string DecodePacked(ReadOnlySpan<byte> packed, int septetCount, int fillBits = 0) =>
        Decode(Unpack(packed, septetCount, fillBits));

    /// <summary>
    /// Strict form of <see cref="DecodePacked"/>: also fails when the data holds fewer than
    /// <paramref name="septetCount"/> septets (<paramref name="invalidPosition"/> is then the first missing one).
    /// </summary>
    public static bool TryDecodePacked(ReadOnlySpan<byte> packed, int septetCount, int fillBits, [NotNullWhen(true)] out string? text, out int invalidPosition)
    {
        var septets = Unpack(packed, septetCount, fillBits);
        if (!TryDecode(septets, out text, out invalidPosition))
        {
            return false;
        }

        if (septets.Length < septetCount)
        {
            text = null;
            invalidPosition = septets.Length;
            return false;
        }

        return true;
    }

    /// <summary>How many whole septets fit in <paramref name="octetCount"/> octets after <paramref name="fillBits"/> fill bits.</summary>
    public static int SeptetCapacity(int octetCount, int fillBits = 0) => Math.Max(0, ((octetCount * 8) - fillBits) / 7);

    /// <summary>Unpacks up to <paramref name="septetCount"/> septets (fewer if the data is short).</summary>
    public static byte[] Unpack(ReadOnlySpan<byte> packed, int septetCount, int fillBits = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(septetCount);
        ValidateFillBits(fillBits);
        var count = Math.Min(septetCount, SeptetCapacity(packed.Length, fillBits));
        var septets = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var bit = fillBits + (7 * i);
            var index = bit / 8;
            var shift = bit % 8;
            var value = packed[index] >> shift;
            if (shift > 1)
            {
                value |= packed[index + 1] << (8 - shift);
            }

            septets[i] = (byte)(value & 0x7F);
        }

        return septets;
    }

    /// <summary>Packs septets 7-bit, least significant bit first, after <paramref name="fillBits"/> zero fill bits.</summary>
    public static byte[] Pack(ReadOnlySpan<byte> septets, int fillBits = 0)
    {
        ValidateFillBits(fillBits);
        var packed = new byte[(fillBits + (7 * septets.Length) + 7) / 8];
        for (var i = 0; i < septets.Length; i++)
        {
            if (septets[i] > 0x7F)
            {
                throw new ArgumentException($"Septet {i} is 0x{septets[i]:X2}, above 0x7F.", nameof(septets));
            }

            var bit = fillBits + (7 * i);
            var index = bit / 8;
            var shift = bit % 8;
            packed[index] |= (byte)(septets[i] << shift);
            if (shift > 1)
            {
                packed[index + 1] |= (byte)(septets[i] >> (8 - shift));
            }
        }

        return packed;
    }

    /// <summary>Whether every character of <paramref name="text"/> is in the default alphabet or its extension table.</summary>
    public static bool CanEncode(string text) => SeptetLength(text) is not null;

    /// <summary>Septets needed for <paramref name="text"/> (extension characters count 2), or null if it cannot be encoded.</summary>
    public static int? SeptetLength(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = 0;
        foreach (var c in text)
        {
            if (c != (char)Escape && s_basicByChar.ContainsKey(c))
            {
                length++;
            }
            else if (s_extensionByChar.ContainsKey(c))
            {
                length += 2;
            }
            else
            {
                return null;
            }
        }

        return length;
    }

    /// <summary>Encodes <paramref name="text"/> as unpacked septets; throws if a character has no GSM 03.38 form.</summary>
    public static byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var septets = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != (char)Escape && s_basicByChar.TryGetValue(c, out var basic))
            {
                septets.Add(basic);
            }
            else if (s_extensionByChar.TryGetValue(c, out var extended))
            {
                septets.Add(Escape);
                septets.Add(extended);
            }
            else
            {
                throw new ArgumentException($"Character U+{(int)c:X4} at position {i} is not in the GSM 03.38 alphabet.", nameof(text));
            }
        }

        return [.. septets];
    }

    /// <summary>Encodes <paramref name="text"/> packed 7-bit after <paramref name="fillBits"/> fill bits.</summary>
    public static byte[] EncodePacked(string text, int fillBits = 0) => Pack(Encode(text), fillBits);

    private static string DecodeCore(ReadOnlySpan<byte> septets, out int invalidPosition)
    {
        invalidPosition = -1;
        var text = new StringBuilder(septets.Length);
        for (var i = 0; i < septets.Length; i++)
        {
            var septet = septets[i];
            char decoded;
            if (septet > 0x7F)
            {
                decoded = Replacement;
                invalidPosition = invalidPosition < 0 ? i : invalidPosition;
            }
            else if (septet != Escape)
            {
                decoded = BasicTable[septet];
            }
            else if (i + 1 < septets.Length && s_extension.TryGetValue(septets[i + 1], out var extended))
            {
                decoded = extended;
                i++;
            }
            else
            {
                // A dangling escape, or one before a value the extension table does not define:
                // the pair becomes a single '?' so the rest of the text stays aligned.
                decoded = Replacement;
                invalidPosition = invalidPosition < 0 ? i : invalidPosition;
                i++;
            }

            text.Append(decoded);
        }

        return text.ToString();
    }

    private static Dictionary<char, byte> BuildBasicIndex()
    {
        var index = new Dictionary<char, byte>(BasicTable.Length);
        for (var i = 0; i < BasicTable.Length; i++)
        {
            index[BasicTable[i]] = (byte)i;
        }

        return index;
    }

    private static void ValidateFillBits(int fillBits)
    {
        if (fillBits is < 0 or > 6)
        {
            throw new ArgumentOutOfRangeException(nameof(fillBits), fillBits, "Fill bits are 0 to 6.");
        }
    }
}
