using Pool.Sms.Encoding;
using Pool.Sms.Numbers;

namespace Pool.Sms.Smpp;

/// <summary>
/// Everything a deliver_sm or data_sm carries about its message, decoded as far as the specifications
/// allow and kept raw where they do not. <see cref="Text"/> is null when there is no text (binary,
/// compressed or undecodable user data; see <see cref="Flags"/> and <see cref="Problem"/>).
/// <see cref="Concatenation"/> is set when the message is one part of a longer one: feed it to
/// the concatenation grain.
/// </summary>
/// <param name="Command">The command it came in ("deliver_sm", "data_sm").</param>
/// <param name="Sender">source_addr with its TON and NPI, as sent.</param>
/// <param name="Recipient">destination_addr with its TON and NPI, as sent.</param>
/// <param name="EsmClass">The esm_class octet (§5.2.12).</param>
/// <param name="MessageType">The esm_class message type; a status report when <see cref="Smpp.EsmClass.IsStatusReport(MessageType)"/>.</param>
/// <param name="DataCoding">The data_coding octet (§5.2.19).</param>
/// <param name="Scheme">The data coding scheme it names.</param>
/// <param name="UserData">The body as sent, UDH included: short_message, or message_payload when short_message is empty.</param>
/// <param name="Header">The user data header, or null (none, or malformed: then <see cref="BodyFlags.Undecodable"/>).</param>
/// <param name="Text">The decoded text, or null.</param>
/// <param name="Flags">Zero or more of <see cref="BodyFlags"/>.</param>
/// <param name="Problem">What went wrong or was imperfect, for operators (body and SAR problems joined by "; "), or null.</param>
/// <param name="Concatenation">From the UDH (IEI 0x00 / 0x08), else from a complete, valid set of SAR TLVs, else null.</param>
/// <param name="Tlvs">The optional parameters in the order they came.</param>
/// <param name="EncodedTlvs">The optional parameters as encoded on the wire (tag, length, value each).</param>
public sealed record ShortMessageContent(
    string Command,
    SmppAddress Sender,
    SmppAddress Recipient,
    byte EsmClass,
    MessageType MessageType,
    byte DataCoding,
    DataCodingScheme Scheme,
    byte[] UserData,
    UserDataHeader? Header,
    string? Text,
    IReadOnlyList<string> Flags,
    string? Problem,
    ConcatenationInfo? Concatenation,
    IReadOnlyList<Tlv> Tlvs,
    byte[] EncodedTlvs)
{
    /// <summary>Whether <paramref name="flag"/> (one of <see cref="BodyFlags"/>) is set.</summary>
    public bool Has(string flag) => Flags.Contains(flag, StringComparer.Ordinal);

    /// <summary>
    /// Decodes <paramref name="pdu"/> (a PDU that the codec read; only a malformed PDU is refused, and
    /// that happens in <see cref="SmppCodec"/>). Never fails: GSM 7-bit is read one septet per octet, as
    /// SMPP carries it, with the national language tables the UDH names; whatever cannot be decoded is
    /// flagged and kept in <see cref="UserData"/>. A UDH concatenation element wins over the SAR TLVs
    /// (§5.3.2.22–24); an incomplete or inconsistent SAR set leaves the message whole and is noted in
    /// <see cref="Problem"/>.
    /// </summary>
    public static ShortMessageContent Decode(IMessagePdu pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        var scheme = DataCodingScheme.Parse(pdu.DataCoding);
        var userData = pdu.UserData;
        var body = SmsBody.Decode(userData, scheme, Smpp.EsmClass.HasUdh(pdu.EsmClass));
        var problem = body.Problem;
        var concatenation = body.Header?.Concatenation;
        if (concatenation is null)
        {
            concatenation = ReadSar(pdu, out var sarProblem);
            if (sarProblem is not null)
            {
                problem = problem is null ? sarProblem : $"{problem}; {sarProblem}";
            }
        }

        return new ShortMessageContent(
            pdu.Name,
            new SmppAddress(pdu.SourceAddrTon, pdu.SourceAddrNpi, pdu.SourceAddr),
            new SmppAddress(pdu.DestAddrTon, pdu.DestAddrNpi, pdu.DestinationAddr),
            pdu.EsmClass,
            Smpp.EsmClass.TypeOf(pdu.EsmClass),
            pdu.DataCoding,
            scheme,
            userData,
            body.Header,
            body.Text,
            body.Flags,
            problem,
            concatenation,
            pdu.Tlvs,
            Tlv.Encode(pdu.Tlvs));
    }

    private static ConcatenationInfo? ReadSar(IMessagePdu pdu, out string? problem)
    {
        problem = null;
        var reference = pdu.FindTlv(TlvTag.SarMsgRefNum);
        var total = pdu.FindTlv(TlvTag.SarTotalSegments);
        var sequence = pdu.FindTlv(TlvTag.SarSegmentSeqnum);
        if (reference is null && total is null && sequence is null)
        {
            return null;
        }

        if (reference is not { Value.Length: 2 } || total is not { Value.Length: 1 } || sequence is not { Value.Length: 1 })
        {
            problem = "SAR TLVs are incomplete (sar_msg_ref_num, sar_total_segments and sar_segment_seqnum go together); the message is kept whole";
            return null;
        }

        var info = new ConcatenationInfo((reference.Value[0] << 8) | reference.Value[1], total.Value[0], sequence.Value[0]);
        if (info.Total < 1 || info.Sequence < 1 || info.Sequence > info.Total)
        {
            problem = $"sar_segment_seqnum {info.Sequence} is outside 1..{info.Total}; the message is kept whole";
            return null;
        }

        return info;
    }
}
