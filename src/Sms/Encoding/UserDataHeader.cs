using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Pool.Sms.Encoding;

/// <summary>Where a part sits in a concatenated message (3GPP TS 23.040 §9.2.3.24.1 / .8, or SMPP SAR TLVs).</summary>
/// <param name="Reference">The message reference shared by all parts (0–255, or 0–65535 for a 16-bit reference).</param>
/// <param name="Total">How many parts the message has (1–255).</param>
/// <param name="Sequence">This part's number, 1-based.</param>
public sealed record ConcatenationInfo(int Reference, int Total, int Sequence);

/// <summary>
/// A parsed user data header. <see cref="Length"/> counts every header octet including the UDHL
/// octet itself; the text starts right after it. Information elements other than concatenation are skipped.
/// </summary>
public sealed record UserDataHeader(int Length, ConcatenationInfo? Concatenation)
{
    private const byte ConcatenationEightBit = 0x00;
    private const byte ConcatenationSixteenBit = 0x08;

    /// <summary>
    /// Parses the header at the start of <paramref name="userData"/>. Fails with a reason, never an
    /// exception, when a declared length runs past the data or a concatenation element has the wrong size.
    /// A concatenation element whose sequence is 0 or above its total is ignored, as TS 23.040 requires.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> userData, [NotNullWhen(true)] out UserDataHeader? header, [NotNullWhen(false)] out string? error)
    {
        header = null;
        if (userData.IsEmpty)
        {
            error = "UDH indicator is set but the body is empty";
            return false;
        }

        var udhl = userData[0];
        if (1 + udhl > userData.Length)
        {
            error = $"UDH length {udhl} runs past the {userData.Length - 1} bytes that follow it";
            return false;
        }

        var elements = userData.Slice(1, udhl);
        ConcatenationInfo? concatenation = null;
        var offset = 0;
        while (offset < elements.Length)
        {
            if (offset + 2 > elements.Length)
            {
                error = $"UDH information element at offset {offset + 1} is cut off before its length octet";
                return false;
            }

            var iei = elements[offset];
            var length = elements[offset + 1];
            if (offset + 2 + length > elements.Length)
            {
                error = $"UDH information element 0x{iei:X2} declares {length} bytes but only {elements.Length - offset - 2} remain in the header";
                return false;
            }

            var data = elements.Slice(offset + 2, length);
            switch (iei)
            {
                case ConcatenationEightBit when length != 3:
                    error = $"UDH 8-bit concatenation element has length {length}; expected 3";
                    return false;
                case ConcatenationEightBit:
                    concatenation = Valid(data[0], data[1], data[2]) ?? concatenation;
                    break;
                case ConcatenationSixteenBit when length != 4:
                    error = $"UDH 16-bit concatenation element has length {length}; expected 4";
                    return false;
                case ConcatenationSixteenBit:
                    concatenation = Valid(BinaryPrimitives.ReadUInt16BigEndian(data), data[2], data[3]) ?? concatenation;
                    break;
                default:
                    break;
            }

            offset += 2 + length;
        }

        header = new UserDataHeader(1 + udhl, concatenation);
        error = null;
        return true;
    }

    private static ConcatenationInfo? Valid(int reference, int total, int sequence) =>
        total >= 1 && sequence >= 1 && sequence <= total ? new ConcatenationInfo(reference, total, sequence) : null;
}
