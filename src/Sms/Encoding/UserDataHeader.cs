using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Pool.Sms.Encoding;

/// <summary>Where a part sits in a concatenated message (3GPP TS 23.040 §9.2.3.24.1 / .8, or SMPP SAR TLVs).</summary>
/// <param name="Reference">The message reference shared by all parts (0–255, or 0–65535 for a 16-bit reference).</param>
/// <param name="Total">How many parts the message has (1–255).</param>
/// <param name="Sequence">This part's number, 1-based.</param>
public sealed record ConcatenationInfo(int Reference, int Total, int Sequence);

/// <summary>One information element of a user data header (TS 23.040 §9.2.3.24): its identifier and its data octets.</summary>
public sealed record InformationElement(byte Identifier, byte[] Data)
{
    /// <summary>Equal when the identifier and every data octet are.</summary>
    public bool Equals(InformationElement? other) =>
        other is not null && Identifier == other.Identifier && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Identifier);
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }
}

/// <summary>
/// A parsed user data header (TS 23.040 §9.2.3.24). <see cref="Length"/> counts every header octet
/// including the UDHL octet itself; the text starts right after it. <see cref="Elements"/> keeps every
/// information element in order, known or not, for storage.
/// </summary>
/// <param name="Length">Header octets, UDHL included (1 + UDHL).</param>
/// <param name="Concatenation">From IEI 0x00 (8-bit reference) or 0x08 (16-bit reference); the last valid one wins.</param>
/// <param name="Elements">Every information element as it came.</param>
/// <param name="SingleShift">The national language single shift table (IEI 0x24, §9.2.3.24.15), or null.</param>
/// <param name="LockingShift">The national language locking shift table (IEI 0x25, §9.2.3.24.16), or null.</param>
public sealed record UserDataHeader(
    int Length,
    ConcatenationInfo? Concatenation,
    IReadOnlyList<InformationElement> Elements,
    NationalLanguage? SingleShift = null,
    NationalLanguage? LockingShift = null)
{
    /// <summary>IEI 0x00: concatenated short message, 8-bit reference (3 octets).</summary>
    public const byte ConcatenationEightBit = 0x00;

    /// <summary>IEI 0x08: concatenated short message, 16-bit reference (4 octets).</summary>
    public const byte ConcatenationSixteenBit = 0x08;

    /// <summary>IEI 0x24: national language single shift (1 octet, the language identifier).</summary>
    public const byte NationalSingleShift = 0x24;

    /// <summary>IEI 0x25: national language locking shift (1 octet, the language identifier).</summary>
    public const byte NationalLockingShift = 0x25;

    /// <summary>The GSM 7-bit tables this header selects (the defaults for a language the header does not name).</summary>
    public Gsm7Tables Tables => new(LockingShift ?? NationalLanguage.Default, SingleShift ?? NationalLanguage.Default);

    /// <summary>
    /// Parses the header at the start of <paramref name="userData"/>. Fails with a reason, never an
    /// exception, when a declared length runs past the data or a known element has the wrong size
    /// (concatenation 3 or 4 octets, national language shifts 1 octet). A concatenation element whose
    /// sequence is 0 or above its total is ignored, as TS 23.040 §9.2.3.24.1 requires; a language
    /// identifier this codec has no name for is kept in <see cref="Elements"/> and read as the default table.
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

        var octets = userData.Slice(1, udhl);
        var elements = new List<InformationElement>();
        ConcatenationInfo? concatenation = null;
        NationalLanguage? singleShift = null;
        NationalLanguage? lockingShift = null;
        var offset = 0;
        while (offset < octets.Length)
        {
            if (offset + 2 > octets.Length)
            {
                error = $"UDH information element at offset {offset + 1} is cut off before its length octet";
                return false;
            }

            var iei = octets[offset];
            var length = octets[offset + 1];
            if (offset + 2 + length > octets.Length)
            {
                error = $"UDH information element 0x{iei:X2} declares {length} bytes but only {octets.Length - offset - 2} remain in the header";
                return false;
            }

            var data = octets.Slice(offset + 2, length);
            if (ExpectedLength(iei) is { } expected && length != expected)
            {
                error = $"UDH {Describe(iei)} element has length {length}; expected {expected}";
                return false;
            }

            switch (iei)
            {
                case ConcatenationEightBit:
                    concatenation = Valid(data[0], data[1], data[2]) ?? concatenation;
                    break;
                case ConcatenationSixteenBit:
                    concatenation = Valid(BinaryPrimitives.ReadUInt16BigEndian(data), data[2], data[3]) ?? concatenation;
                    break;
                case NationalSingleShift:
                    singleShift = Language(data[0]);
                    break;
                case NationalLockingShift:
                    lockingShift = Language(data[0]);
                    break;
                default:
                    break;
            }

            elements.Add(new InformationElement(iei, data.ToArray()));
            offset += 2 + length;
        }

        header = new UserDataHeader(1 + udhl, concatenation, elements, singleShift, lockingShift);
        error = null;
        return true;
    }

    private static int? ExpectedLength(byte iei) => iei switch
    {
        ConcatenationEightBit => 3,
        ConcatenationSixteenBit => 4,
        NationalSingleShift or NationalLockingShift => 1,
        _ => null,
    };

    private static string Describe(byte iei) => iei switch
    {
        ConcatenationEightBit => "8-bit concatenation",
        ConcatenationSixteenBit => "16-bit concatenation",
        NationalSingleShift => "national language single shift",
        _ => "national language locking shift",
    };

    private static NationalLanguage Language(byte identifier) =>
        Enum.IsDefined((NationalLanguage)identifier) ? (NationalLanguage)identifier : NationalLanguage.Default;

    private static ConcatenationInfo? Valid(int reference, int total, int sequence) =>
        total >= 1 && sequence >= 1 && sequence <= total ? new ConcatenationInfo(reference, total, sequence) : null;
}
