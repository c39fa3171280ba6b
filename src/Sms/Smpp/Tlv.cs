using System.Buffers.Binary;

namespace Pool.Sms.Smpp;

/// <summary>
/// An optional parameter (tag, length, value). Tags this codec does not know are kept as they came,
/// so a PDU decodes and re-encodes to the same bytes.
/// </summary>
public sealed record Tlv(ushort Tag, byte[] Value)
{
    /// <summary>A one-octet value (message_state, sar_total_segments, sar_segment_seqnum).</summary>
    public static Tlv FromByte(ushort tag, byte value) => new(tag, [value]);

    /// <summary>A two-octet big-endian value (sar_msg_ref_num).</summary>
    public static Tlv FromUInt16(ushort tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return new Tlv(tag, bytes);
    }

    /// <summary>A NUL-terminated ASCII value (receipted_message_id).</summary>
    public static Tlv FromCString(ushort tag, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = new byte[value.Length + 1];
        System.Text.Encoding.Latin1.GetBytes(value, bytes);
        return new Tlv(tag, bytes);
    }

    /// <summary>The first of <paramref name="tlvs"/> with <paramref name="tag"/>, or null.</summary>
    public static Tlv? Find(IReadOnlyList<Tlv> tlvs, ushort tag)
    {
        ArgumentNullException.ThrowIfNull(tlvs);
        foreach (var tlv in tlvs)
        {
            if (tlv.Tag == tag)
            {
                return tlv;
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="tlvs"/> as they go on the wire (§3.2.4.1): per parameter a 2-octet tag, a 2-octet
    /// length and the value, big-endian, in order. Throws <see cref="ArgumentException"/> for a value over 65535 octets.
    /// </summary>
    public static byte[] Encode(IReadOnlyList<Tlv> tlvs)
    {
        ArgumentNullException.ThrowIfNull(tlvs);
        var bytes = new byte[tlvs.Sum(t => 4 + t.Value.Length)];
        var at = 0;
        foreach (var tlv in tlvs)
        {
            if (tlv.Value.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"{TlvTag.Name(tlv.Tag)} is {tlv.Value.Length} bytes; at most {ushort.MaxValue} fit.", nameof(tlvs));
            }

            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), tlv.Tag);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at + 2), (ushort)tlv.Value.Length);
            tlv.Value.CopyTo(bytes, at + 4);
            at += 4 + tlv.Value.Length;
        }

        return bytes;
    }

    /// <summary>The value read as a NUL-terminated string; a missing terminator is tolerated.</summary>
    public string AsCString()
    {
        var end = Array.IndexOf(Value, (byte)0);
        return System.Text.Encoding.Latin1.GetString(Value, 0, end < 0 ? Value.Length : end);
    }
}

/// <summary>The optional parameter tags Pool reads or writes (SMPP 3.4 §5.3.2).</summary>
public static class TlvTag
{
    public const ushort ReceiptedMessageId = 0x001E;
    public const ushort SarMsgRefNum = 0x020C;
    public const ushort SarTotalSegments = 0x020E;
    public const ushort SarSegmentSeqnum = 0x020F;
    public const ushort ScInterfaceVersion = 0x0210;
    public const ushort NetworkErrorCode = 0x0423;
    public const ushort MessagePayload = 0x0424;
    public const ushort MessageState = 0x0427;

    /// <summary>The specification's name of a tag, or the tag in hex.</summary>
    public static string Name(ushort tag) => tag switch
    {
        ReceiptedMessageId => "receipted_message_id",
        SarMsgRefNum => "sar_msg_ref_num",
        SarTotalSegments => "sar_total_segments",
        SarSegmentSeqnum => "sar_segment_seqnum",
        ScInterfaceVersion => "sc_interface_version",
        NetworkErrorCode => "network_error_code",
        MessagePayload => "message_payload",
        MessageState => "message_state",
        _ => $"TLV 0x{tag:X4}",
    };

    /// <summary>The exact value length the specification fixes for a tag, or null when it varies.</summary>
    internal static int? FixedLength(ushort tag) => tag switch
    {
        SarMsgRefNum => 2,
        SarTotalSegments or SarSegmentSeqnum or ScInterfaceVersion or MessageState => 1,
        _ => null,
    };
}
