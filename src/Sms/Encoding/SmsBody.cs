using System.Text;

namespace Pool.Sms.Encoding;

/// <summary>How GSM 7-bit text is laid out in a body.</summary>
public enum Gsm7Packing
{
    /// <summary>Packed 7-bit, as in the TP-UD of an SMS TPDU (eight characters in seven octets).</summary>
    Packed,

    /// <summary>One septet per octet, as SMPP carries data_coding 0 (SMPP 3.4 §5.2.19).</summary>
    Unpacked,
}

/// <summary>
/// The flags a decoded body can carry, spelt as they are stored (the same words as the inbound
/// message's flags). Their presence says what the text is not.
/// </summary>
public static class BodyFlags
{
    /// <summary>8-bit data (data_coding 0x02, 0x04, or a TS 23.038 8-bit alphabet): no text; show the user data as hex.</summary>
    public const string Binary = "binary";

    /// <summary>Compressed user data (TS 23.038 §4 bit 5, TS 23.042): not decompressed, no text.</summary>
    public const string Compressed = "compressed";

    /// <summary>A reserved data coding: the text is read as GSM 7-bit, as TS 23.038 §4 tells a receiver to assume.</summary>
    public const string ReservedCoding = "reserved_coding";

    /// <summary>The body could not be read (malformed user data header, a character set with no decoder): no text.</summary>
    public const string Undecodable = "undecodable";

    /// <summary>A message waiting indication (TS 23.038 §4 groups 1100–1110): its text, if any, is not for a person.</summary>
    public const string MessageWaiting = "message_waiting";
}

/// <summary>
/// A decoded message body.
/// </summary>
/// <param name="Header">The user data header, or null when there was none (or it could not be read).</param>
/// <param name="Text">The text, or null when there is none: binary, compressed or undecodable data.</param>
/// <param name="Flags">Zero or more of <see cref="BodyFlags"/>, in a stable order.</param>
/// <param name="Problem">Why the text is missing or imperfect (an undecodable body, a UCS-2 body of odd length, …), or null.</param>
public sealed record DecodedBody(UserDataHeader? Header, string? Text, IReadOnlyList<string> Flags, string? Problem)
{
    /// <summary>Whether <paramref name="flag"/> (one of <see cref="BodyFlags"/>) is set.</summary>
    public bool Has(string flag) => Flags.Contains(flag, StringComparer.Ordinal);
}

/// <summary>
/// Decodes an SMS body by its data coding scheme and UDHI flag. Decoding never fails on content: what
/// cannot be read comes back with <see cref="DecodedBody.Text"/> null and a flag saying why, so the raw
/// user data can be stored as it came. Characters outside an alphabet decode leniently ('?' for GSM
/// 7-bit and the code page sets, U+FFFD for half a UCS-2 character).
/// </summary>
public static class SmsBody
{
    /// <summary>SMSC default alphabet: GSM 03.38 7-bit.</summary>
    public const byte Gsm7Default = 0x00;

    /// <summary>IA5 / ASCII.</summary>
    public const byte Ascii = 0x01;

    /// <summary>ISO-8859-1 (Latin-1).</summary>
    public const byte Latin1 = 0x03;

    /// <summary>UCS-2, read as UTF-16BE.</summary>
    public const byte Ucs2Coding = 0x08;

    // Code page numbers of the character sets .NET reads through CodePagesEncodingProvider.
    private const int Iso88595 = 28595;
    private const int Iso88598 = 28598;
    private const int EucJp = 20932;
    private const int Iso2022JpCodePage = 50220;
    private const int KoreanCodePage = 949;

    /// <summary>Decodes <paramref name="body"/> by the data_coding octet; see <see cref="Decode(ReadOnlySpan{byte}, DataCodingScheme, bool, Gsm7Packing, int?)"/>.</summary>
    public static DecodedBody Decode(ReadOnlySpan<byte> body, byte dataCoding, bool hasUdh, Gsm7Packing packing = Gsm7Packing.Unpacked, int? septetCount = null) =>
        Decode(body, DataCodingScheme.Parse(dataCoding), hasUdh, packing, septetCount);

    /// <summary>
    /// Decodes <paramref name="body"/>. With <paramref name="hasUdh"/> (esm_class UDHI) the body starts
    /// with a user data header (TS 23.040 §9.2.3.24); a malformed one flags the body
    /// <see cref="BodyFlags.Undecodable"/>. GSM 7-bit text is read with the national language tables
    /// the header selects; packed, it starts after the fill bits that align it to a septet boundary.
    /// <paramref name="septetCount"/> is the TP-UDL of packed GSM 7-bit data (septets including the
    /// header); without it, every whole septet is read and a trailing CR that only pads the last octet
    /// (TS 23.038 §6.1.2.3.1) is dropped. Character sets: IA5 is read as Latin-1 (octets above 0x7F are
    /// kept, not dropped); Cyrillic, Latin/Hebrew, ISO-2022-JP and KS C 5601 (as code page 949, a
    /// superset of EUC-KR) through <see cref="CodePagesEncodingProvider"/>; JIS X 0208 as pairs of
    /// 0x21–0x7E octets, through EUC-JP. Pictograms and JIS X 0212 (extended Kanji, which no .NET code
    /// page maps) have no decoder: <see cref="BodyFlags.Undecodable"/>.
    /// </summary>
    public static DecodedBody Decode(ReadOnlySpan<byte> body, DataCodingScheme scheme, bool hasUdh, Gsm7Packing packing = Gsm7Packing.Unpacked, int? septetCount = null)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        var flags = new List<string>(2);
        if (scheme.IsBinary)
        {
            flags.Add(BodyFlags.Binary);
        }

        if (scheme.Compressed)
        {
            flags.Add(BodyFlags.Compressed);
        }

        if (scheme.IsReserved)
        {
            flags.Add(BodyFlags.ReservedCoding);
        }

        if (scheme.MessageWaiting is not null)
        {
            flags.Add(BodyFlags.MessageWaiting);
        }

        UserDataHeader? header = null;
        if (hasUdh && !UserDataHeader.TryParse(body, out header, out var headerError))
        {
            flags.Add(BodyFlags.Undecodable);
            return new DecodedBody(null, null, flags, headerError);
        }

        if (scheme.IsBinary)
        {
            return new DecodedBody(header, null, flags, null);
        }

        if (scheme.Compressed)
        {
            return new DecodedBody(header, null, flags, "the user data is compressed (TS 23.042), which is not decompressed");
        }

        var headerLength = header?.Length ?? 0;
        var text = body[headerLength..];
        var tables = header?.Tables ?? Gsm7Tables.Default;
        string? problem = null;
        string? decoded;
        switch (scheme.Charset)
        {
            case Charset.Gsm7 or Charset.Reserved when packing == Gsm7Packing.Unpacked:
                decoded = Gsm7.Decode(text, tables);
                break;
            case Charset.Gsm7 or Charset.Reserved:
                decoded = DecodePacked(text, headerLength, septetCount, tables, out problem);
                break;
            case Charset.Ucs2:
                decoded = Ucs2.Decode(text);
                problem = text.Length % 2 == 0 ? null : $"UCS-2 body has an odd length ({text.Length} bytes); the last byte reads as U+FFFD";
                break;
            case Charset.Latin1 or Charset.Ascii:
                decoded = System.Text.Encoding.Latin1.GetString(text);
                break;
            case Charset.Cyrillic:
                decoded = CodePage(Iso88595).GetString(text);
                break;
            case Charset.LatinHebrew:
                decoded = CodePage(Iso88598).GetString(text);
                break;
            case Charset.Iso2022Jp:
                decoded = CodePage(Iso2022JpCodePage).GetString(text);
                break;
            case Charset.KsC5601:
                decoded = CodePage(KoreanCodePage).GetString(text);
                break;
            case Charset.Jis:
                decoded = DecodeJis(text, out problem);
                break;
            default:
                decoded = null;
                problem = $"data_coding 0x{scheme.DataCoding:X2} ({scheme.Charset}) has no decoder";
                break;
        }

        if (decoded is null)
        {
            flags.Add(BodyFlags.Undecodable);
        }
        else if (scheme.IsReserved)
        {
            problem ??= $"data_coding 0x{scheme.DataCoding:X2} is reserved; read as GSM 7-bit (TS 23.038 §4)";
        }

        return new DecodedBody(header, decoded, flags, problem);
    }

    private static string DecodePacked(ReadOnlySpan<byte> text, int headerLength, int? septetCount, Gsm7Tables tables, out string? problem)
    {
        problem = null;
        var headerSeptets = ((headerLength * 8) + 6) / 7;
        var fillBits = (headerSeptets * 7) - (headerLength * 8);
        var capacity = Gsm7.SeptetCapacity(text.Length, fillBits);
        if (septetCount is { } udl)
        {
            var textSeptets = udl - headerSeptets;
            if (textSeptets < 0 || textSeptets > capacity)
            {
                problem = $"septet count {udl} does not fit the body: the header takes {headerSeptets} septets and {capacity} follow it; the {capacity} present were read";
                textSeptets = capacity;
            }

            return Gsm7.DecodePacked(text, textSeptets, fillBits, tables);
        }

        var decoded = Gsm7.DecodePacked(text, capacity, fillBits, tables);
        var exactFit = ((text.Length * 8) - fillBits) % 7 == 0;
        return exactFit && decoded.EndsWith('\r') ? decoded[..^1] : decoded;
    }

    // JIS X 0208 codes a character as two octets 0x21–0x7E with no escape sequences; EUC-JP carries the
    // same code points with the high bit set.
    private static string? DecodeJis(ReadOnlySpan<byte> text, out string? problem)
    {
        if (text.Length % 2 != 0)
        {
            problem = $"JIS body has an odd length ({text.Length} bytes); characters are two octets";
            return null;
        }

        var euc = new byte[text.Length];
        for (var i = 0; i < text.Length; i += 2)
        {
            if (text[i] is < 0x21 or > 0x7E || text[i + 1] is < 0x21 or > 0x7E)
            {
                problem = $"JIS body has octets outside 0x21–0x7E at offset {i}";
                return null;
            }

            euc[i] = (byte)(text[i] | 0x80);
            euc[i + 1] = (byte)(text[i + 1] | 0x80);
        }

        problem = null;
        return CodePage(EucJp).GetString(euc);
    }

    private static System.Text.Encoding CodePage(int codePage) =>
        CodePagesEncodingProvider.Instance.GetEncoding(codePage)
        ?? throw new InvalidOperationException($"Code page {codePage} is not provided by CodePagesEncodingProvider.");
}
