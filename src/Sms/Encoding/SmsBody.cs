using System.Diagnostics.CodeAnalysis;

namespace Pool.Sms.Encoding;

/// <summary>How GSM 7-bit text is laid out in a body.</summary>
public enum Gsm7Packing
{
    /// <summary>Packed 7-bit, as in the TP-UD of an SMS TPDU (eight characters in seven octets).</summary>
    Packed,

    /// <summary>One septet per octet, as many SMPP carriers send data_coding 0.</summary>
    Unpacked,
}

/// <summary>A decoded message body: its header (null when there was none) and its text.</summary>
public sealed record DecodedBody(UserDataHeader? Header, string Text);

/// <summary>
/// Decodes an SMS body from its SMPP <c>data_coding</c> and UDHI flag. Characters outside the
/// alphabet decode leniently ('?' for GSM 7-bit, U+FFFD for a half UCS-2 character); a malformed
/// header or an unsupported data coding fails with a reason.
/// </summary>
public static class SmsBody
{
    /// <summary>SMSC default alphabet: GSM 03.38 7-bit.</summary>
    public const byte Gsm7Default = 0x00;

    /// <summary>IA5 / ASCII, decoded as ISO-8859-1.</summary>
    public const byte Ascii = 0x01;

    /// <summary>ISO-8859-1 (Latin-1).</summary>
    public const byte Latin1 = 0x03;

    /// <summary>UCS-2, read as UTF-16BE.</summary>
    public const byte Ucs2Coding = 0x08;

    /// <summary>
    /// Decodes <paramref name="body"/>. With <paramref name="hasUdh"/> (esm_class UDHI) the body starts
    /// with a user data header; packed GSM 7-bit text then starts after the fill bits that align it to a
    /// septet boundary. <paramref name="septetCount"/> is the TP-UDL of packed GSM 7-bit data (septets
    /// including the header); without it, every whole septet is read and a trailing CR that only pads
    /// the last octet (TS 23.038 §6.1.2.3.1) is dropped.
    /// </summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> body,
        byte dataCoding,
        bool hasUdh,
        [NotNullWhen(true)] out DecodedBody? decoded,
        [NotNullWhen(false)] out string? error,
        Gsm7Packing packing = Gsm7Packing.Packed,
        int? septetCount = null)
    {
        decoded = null;
        UserDataHeader? header = null;
        if (hasUdh && !UserDataHeader.TryParse(body, out header, out error))
        {
            return false;
        }

        var headerLength = header?.Length ?? 0;
        var text = body[headerLength..];
        string? decodedText;
        switch (dataCoding)
        {
            case Gsm7Default when packing == Gsm7Packing.Unpacked:
                decodedText = Gsm7.Decode(text);
                break;
            case Gsm7Default:
                if (!TryDecodePacked(text, headerLength, septetCount, out decodedText, out error))
                {
                    return false;
                }

                break;
            case Ucs2Coding:
                decodedText = Ucs2.Decode(text);
                break;
            case Latin1 or Ascii:
                decodedText = System.Text.Encoding.Latin1.GetString(text);
                break;
            default:
                error = $"data_coding 0x{dataCoding:X2} is not supported (expected 0x00 GSM 7-bit, 0x01 ASCII, 0x03 Latin-1 or 0x08 UCS-2)";
                return false;
        }

        decoded = new DecodedBody(header, decodedText);
        error = null;
        return true;
    }

    private static bool TryDecodePacked(ReadOnlySpan<byte> text, int headerLength, int? septetCount, [NotNullWhen(true)] out string? decoded, [NotNullWhen(false)] out string? error)
    {
        var headerSeptets = ((headerLength * 8) + 6) / 7;
        var fillBits = (headerSeptets * 7) - (headerLength * 8);
        var capacity = Gsm7.SeptetCapacity(text.Length, fillBits);
        if (septetCount is { } udl)
        {
            var textSeptets = udl - headerSeptets;
            if (textSeptets < 0 || textSeptets > capacity)
            {
                decoded = null;
                error = $"septet count {udl} does not fit the body: the header takes {headerSeptets} septets and {capacity} follow it";
                return false;
            }

            decoded = Gsm7.DecodePacked(text, textSeptets, fillBits);
        }
        else
        {
            decoded = Gsm7.DecodePacked(text, capacity, fillBits);
            var exactFit = ((text.Length * 8) - fillBits) % 7 == 0;
            if (exactFit && decoded.EndsWith('\r'))
            {
                decoded = decoded[..^1];
            }
        }

        error = null;
        return true;
    }
}
