using System.Diagnostics.CodeAnalysis;
using Pool.Sms.Encoding;

namespace Pool.Sms.Smpp;

/// <summary>
/// A mobile-originated message read from a deliver_sm. <see cref="Concatenation"/> is set when it is
/// one part of a longer message (from the UDH or the SAR TLVs): feed it to <see cref="ConcatenationBuffer"/>.
/// </summary>
public sealed record InboundMessage(string Sender, string Recipient, string Text, ConcatenationInfo? Concatenation, byte DataCoding);

/// <summary>Turns a deliver_sm carrying a mobile-originated message into an <see cref="InboundMessage"/>.</summary>
public static class InboundMessageDecoder
{
    /// <summary>
    /// Decodes the body by data_coding (0x00 GSM 7-bit one septet per octet, 0x01/0x03 Latin-1, 0x08
    /// UCS-2), reading the UDH when esm_class has UDHI. message_payload is read when short_message is
    /// empty. A UDH concatenation element wins over SAR TLVs. Fails on an unsupported data_coding, a
    /// malformed UDH, or half a set of SAR TLVs.
    /// </summary>
    public static bool TryDecode(DeliverSm pdu, [NotNullWhen(true)] out InboundMessage? message, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        message = null;
        var body = pdu.ShortMessage.Length == 0 && pdu.FindTlv(TlvTag.MessagePayload) is { } payload
            ? payload.Value
            : pdu.ShortMessage;
        if (!SmsBody.TryDecode(body, pdu.DataCoding, EsmClass.HasUdh(pdu.EsmClass), out var decoded, out var bodyError, Gsm7Packing.Unpacked))
        {
            error = $"deliver_sm body: {bodyError}";
            return false;
        }

        var concatenation = decoded.Header?.Concatenation;
        if (concatenation is null && !TryReadSar(pdu, out concatenation, out error))
        {
            return false;
        }

        message = new InboundMessage(pdu.SourceAddr, pdu.DestinationAddr, decoded.Text, concatenation, pdu.DataCoding);
        error = null;
        return true;
    }

    private static bool TryReadSar(DeliverSm pdu, out ConcatenationInfo? concatenation, [NotNullWhen(false)] out string? error)
    {
        concatenation = null;
        error = null;
        var reference = pdu.FindTlv(TlvTag.SarMsgRefNum);
        var total = pdu.FindTlv(TlvTag.SarTotalSegments);
        var sequence = pdu.FindTlv(TlvTag.SarSegmentSeqnum);
        if (reference is null && total is null && sequence is null)
        {
            return true;
        }

        if (reference is not { Value.Length: 2 } || total is not { Value.Length: 1 } || sequence is not { Value.Length: 1 })
        {
            error = "deliver_sm: SAR TLVs are incomplete (sar_msg_ref_num, sar_total_segments and sar_segment_seqnum go together)";
            return false;
        }

        var info = new ConcatenationInfo((reference.Value[0] << 8) | reference.Value[1], total.Value[0], sequence.Value[0]);
        if (info.Total < 1 || info.Sequence < 1 || info.Sequence > info.Total)
        {
            error = $"deliver_sm: sar_segment_seqnum {info.Sequence} is outside 1..{info.Total}";
            return false;
        }

        concatenation = info;
        return true;
    }
}
