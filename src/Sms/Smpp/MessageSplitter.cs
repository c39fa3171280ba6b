using Pool.Sms.Encoding;

namespace Pool.Sms.Smpp;

/// <summary>One submit_sm's worth of a message: its body (UDH first when <see cref="HasUdh"/>) and the text it carries.</summary>
public sealed record MessagePart(int Sequence, int Total, string Text, byte[] ShortMessage, bool HasUdh);

/// <summary>A message cut into parts that all share <see cref="DataCoding"/>.</summary>
public sealed record SplitMessage(byte DataCoding, IReadOnlyList<MessagePart> Parts);

/// <summary>
/// Cuts outbound text into submit_sm bodies. GSM 7-bit (data_coding 0x00, one septet per octet, as
/// SMPP carries it) when every character is in GSM 03.38, otherwise UCS-2 (0x08). A message that fits
/// one SMS (160 septets / 70 UCS-2 units) goes as is; a longer one goes in parts of 153 septets / 67
/// units, each behind a 6-octet UDH with an 8-bit concatenation reference. A part never ends between
/// an escape and its extension character, nor between the two halves of a surrogate pair.
/// </summary>
public static class MessageSplitter
{
    public const int Gsm7SingleSeptets = 160;
    public const int Gsm7PartSeptets = 153;
    public const int Ucs2SingleUnits = 70;
    public const int Ucs2PartUnits = 67;

    /// <summary>Splits <paramref name="text"/>; <paramref name="reference"/> ties the parts together and should differ between recent messages to one recipient.</summary>
    public static SplitMessage Split(string text, byte reference)
    {
        ArgumentNullException.ThrowIfNull(text);
        var septets = Gsm7.SeptetLength(text);
        if (septets is { } length)
        {
            if (length <= Gsm7SingleSeptets)
            {
                return Single(SmsBody.Gsm7Default, text, Gsm7.Encode(text));
            }

            return Multi(SmsBody.Gsm7Default, CheckCount(CutGsm7(text), text), reference, Gsm7.Encode);
        }

        if (text.Length <= Ucs2SingleUnits)
        {
            return Single(SmsBody.Ucs2Coding, text, Ucs2.Encode(text));
        }

        return Multi(SmsBody.Ucs2Coding, CheckCount(CutUcs2(text), text), reference, Ucs2.Encode);
    }

    private static List<string> CheckCount(List<string> chunks, string text) =>
        chunks.Count <= Concatenation.MaxParts
            ? chunks
            : throw new ArgumentException($"The text needs {chunks.Count} parts; at most {Concatenation.MaxParts} can be concatenated.", nameof(text));

    private static SplitMessage Single(byte dataCoding, string text, byte[] body) =>
        new(dataCoding, [new MessagePart(1, 1, text, body, HasUdh: false)]);

    private static SplitMessage Multi(byte dataCoding, List<string> chunks, byte reference, Func<string, byte[]> encode)
    {
        var parts = new List<MessagePart>(chunks.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            var body = encode(chunks[i]);
            var message = new byte[6 + body.Length];
            message[0] = 5;
            message[1] = 0x00;
            message[2] = 3;
            message[3] = reference;
            message[4] = (byte)chunks.Count;
            message[5] = (byte)(i + 1);
            body.CopyTo(message, 6);
            parts.Add(new MessagePart(i + 1, chunks.Count, chunks[i], message, HasUdh: true));
        }

        return new SplitMessage(dataCoding, parts);
    }

    private static List<string> CutGsm7(string text)
    {
        var chunks = new List<string>();
        var start = 0;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cost = Gsm7.SeptetLength(text[i].ToString()) ?? 1;
            if (used + cost > Gsm7PartSeptets)
            {
                chunks.Add(text[start..i]);
                start = i;
                used = 0;
            }

            used += cost;
        }

        chunks.Add(text[start..]);
        return chunks;
    }

    private static List<string> CutUcs2(string text)
    {
        var chunks = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(Ucs2PartUnits, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }

            chunks.Add(text.Substring(start, length));
            start += length;
        }

        return chunks;
    }
}
