using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Pool.Sms.Encoding;

/// <summary>
/// The GSM 03.38 (3GPP TS 23.038) default 7-bit alphabet with its extension table, as septets
/// (one per byte) or packed into octets. Decoding also reads the national language locking and single
/// shift tables (§6.2.1.2, Annex A; see <see cref="Gsm7NationalTables"/>); encoding uses the default
/// alphabet only. Decoding never throws on carrier data: a value with no character becomes '?'.
/// The <c>Try…</c> forms are strict and report the first septet that has no character.
/// </summary>
/// <remarks>
/// Escapes are decoded as TS 23.038 asks of a receiver:
/// <list type="bullet">
/// <item>an escape followed by a value the active extension (or single shift) table does not define
/// shows the character of the active main table (default alphabet or locking shift table) for that
/// value (§6.2.1.1), so <c>1B 33</c> reads "3";</item>
/// <item>an escape followed by an escape, reserved for a further extension table, shows a space
/// (§6.2.1.1, note to code 1B) and the septet after the pair is read normally;</item>
/// <item>an escape with no septet after it shows a space, as a receiver shows an escape it cannot
/// interpret (§6.2.1, note to code 1B). No well-formed text ends in an escape, so the strict forms
/// refuse it.</item>
/// </list>
/// </remarks>
public static class Gsm7
{
    /// <summary>The escape septet that selects the extension table for the septet after it.</summary>
    public const byte Escape = 0x1B;

    /// <summary>What a septet that is not a character of the alphabet decodes to.</summary>
    public const char Replacement = '?';

    // TS 23.038 §6.2.1: the GSM 7 bit default alphabet, indexed by septet value.
    private const string BasicTable =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // TS 23.038 §6.2.1.1: the GSM 7 bit default alphabet extension table, indexed by the septet after an
    // escape, in the form of the national tables ('\0' where the table defines nothing).
    private const string ExtensionTable =
        /* 0x00 */ "\0\0\0\0\0\0\0\0\0\0\f\0\0\0\0\0" +
        /* 0x10 */ "\0\0\0\0^\0\0\0\0\0\0\0\0\0\0\0" +
        /* 0x20 */ "\0\0\0\0\0\0\0\0{}\0\0\0\0\0\\" +
        /* 0x30 */ "\0\0\0\0\0\0\0\0\0\0\0\0[~]\0" +
        /* 0x40 */ "|\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" +
        /* 0x50 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" +
        /* 0x60 */ "\0\0\0\0\0€\0\0\0\0\0\0\0\0\0\0" +
        /* 0x70 */ "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

    private static readonly Dictionary<char, byte> s_basicByChar = BuildIndex(BasicTable);
    private static readonly Dictionary<char, byte> s_extensionByChar = BuildIndex(ExtensionTable);

    /// <summary>
    /// Decodes unpacked septets (one per byte) with the default alphabet and extension table (TS 23.038
    /// §6.2.1, §6.2.1.1); a byte above 0x7F becomes '?'. Escapes are read as the type remarks describe.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> septets) => Decode(septets, Gsm7Tables.Default);

    /// <summary>
    /// Decodes unpacked septets with the national language tables <paramref name="tables"/> (TS 23.038
    /// §6.2.1.2): the locking shift table in place of the default alphabet for every septet, the single
    /// shift table in place of the default extension table for the septet after an escape. A language
    /// with no table of a kind (Spanish has no locking shift table) or a reserved identifier keeps the
    /// default table of that kind. A byte above 0x7F, or a value the main table does not define, becomes '?'.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> septets, Gsm7Tables tables) =>
        DecodeCore(septets, MainTable(tables.LockingShift), Extension(tables.SingleShift), out _);

    /// <summary>Decodes packed septets (see <see cref="DecodePacked(ReadOnlySpan{byte}, int, int)"/>) with the national language tables <paramref name="tables"/> (TS 23.038 §6.2.1.2).</summary>
    public static string DecodePacked(ReadOnlySpan<byte> packed, int septetCount, int fillBits, Gsm7Tables tables) =>
        Decode(Unpack(packed, septetCount, fillBits), tables);

    /// <summary>
    /// Decodes unpacked septets strictly with the default alphabet and extension table (TS 23.038 §6.2.1).
    /// See <see cref="TryDecode(ReadOnlySpan{byte}, Gsm7Tables, out string?, out int)"/> for what fails.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> septets, [NotNullWhen(true)] out string? text, out int invalidPosition) =>
        TryDecode(septets, Gsm7Tables.Default, out text, out invalidPosition);

    /// <summary>
    /// Decodes unpacked septets strictly with the national language tables <paramref name="tables"/>
    /// (TS 23.038 §6.2.1.2). Fails at the first septet that has no character: a byte above 0x7F (alone or
    /// after an escape), a value the main table does not define, or an escape with no septet after it;
    /// <paramref name="invalidPosition"/> is then its index (the escape's, for an escape sequence), otherwise
    /// -1. An escape before a value the extension table does not define, and an escape before an escape,
    /// are valid: §6.2.1.1 says what they show.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> septets, Gsm7Tables tables, [NotNullWhen(true)] out string? text, out int invalidPosition)
    {
        var decoded = DecodeCore(septets, MainTable(tables.LockingShift), Extension(tables.SingleShift), out invalidPosition);
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
    /// Strict form of <see cref="DecodePacked(ReadOnlySpan{byte}, int, int)"/>: fails as
    /// <see cref="TryDecode(ReadOnlySpan{byte}, out string?, out int)"/> does, and when the data holds fewer
    /// than <paramref name="septetCount"/> septets (<paramref name="invalidPosition"/> is then the first missing one).
    /// </summary>
    public static bool TryDecodePacked(ReadOnlySpan<byte> packed, int septetCount, int fillBits, [NotNullWhen(true)] out string? text, out int invalidPosition) =>
        TryDecodePacked(packed, septetCount, fillBits, Gsm7Tables.Default, out text, out invalidPosition);

    /// <summary>
    /// Strict form of <see cref="DecodePacked(ReadOnlySpan{byte}, int, int, Gsm7Tables)"/> with the national
    /// language tables <paramref name="tables"/> (TS 23.038 §6.2.1.2): fails as
    /// <see cref="TryDecode(ReadOnlySpan{byte}, Gsm7Tables, out string?, out int)"/> does, and when the data
    /// holds fewer than <paramref name="septetCount"/> septets.
    /// </summary>
    public static bool TryDecodePacked(ReadOnlySpan<byte> packed, int septetCount, int fillBits, Gsm7Tables tables, [NotNullWhen(true)] out string? text, out int invalidPosition)
    {
        var septets = Unpack(packed, septetCount, fillBits);
        if (!TryDecode(septets, tables, out text, out invalidPosition))
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

    private static string MainTable(NationalLanguage lockingShift) =>
        Gsm7NationalTables.TryGetLockingShiftTable(lockingShift, out var table) ? table : BasicTable;

    private static string Extension(NationalLanguage singleShift) =>
        Gsm7NationalTables.TryGetSingleShiftTable(singleShift, out var table) ? table : ExtensionTable;

    private static string DecodeCore(ReadOnlySpan<byte> septets, string main, string extension, out int invalidPosition)
    {
        invalidPosition = -1;
        var text = new StringBuilder(septets.Length);
        for (var i = 0; i < septets.Length; i++)
        {
            var start = i;
            var septet = septets[i];
            char decoded;
            if (septet != Escape)
            {
                decoded = septet > 0x7F ? Gsm7NationalTables.Undefined : main[septet];
            }
            else if (i + 1 == septets.Length)
            {
                // §6.2.1: an escape that cannot be interpreted is shown as a space; strict decoding
                // refuses it, as no well-formed text ends in one.
                decoded = ' ';
                invalidPosition = invalidPosition < 0 ? i : invalidPosition;
            }
            else
            {
                var next = septets[++i];
                if (next > 0x7F)
                {
                    decoded = Gsm7NationalTables.Undefined;
                }
                else if (next == Escape)
                {
                    // §6.2.1.1: reserved for a further extension table; shown as a space until one is defined.
                    decoded = ' ';
                }
                else
                {
                    // §6.2.1.1: a value the extension table does not define shows the main table's character.
                    decoded = extension[next] != Gsm7NationalTables.Undefined ? extension[next] : main[next];
                }
            }

            if (decoded == Gsm7NationalTables.Undefined)
            {
                decoded = Replacement;
                invalidPosition = invalidPosition < 0 ? start : invalidPosition;
            }

            text.Append(decoded);
        }

        return text.ToString();
    }

    private static Dictionary<char, byte> BuildIndex(string table)
    {
        var index = new Dictionary<char, byte>(table.Length);
        for (var i = 0; i < table.Length; i++)
        {
            if (table[i] != Gsm7NationalTables.Undefined)
            {
                index[table[i]] = (byte)i;
            }
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
