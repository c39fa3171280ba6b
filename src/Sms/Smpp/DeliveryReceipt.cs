using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Pool.Sms.Encoding;

namespace Pool.Sms.Smpp;

/// <summary>message_state values (§5.2.28); the receipt text's <c>stat:</c> maps onto the same set.</summary>
public enum MessageState : byte
{
    Enroute = 1,
    Delivered = 2,
    Expired = 3,
    Deleted = 4,
    Undeliverable = 5,
    Accepted = 6,
    Unknown = 7,
    Rejected = 8,
}

/// <summary>The network_error_code TLV (§5.3.2.31): the network type (1 ANSI-136, 2 IS-95, 3 GSM, …) and its error code.</summary>
public sealed record NetworkErrorCode(byte NetworkType, ushort ErrorCode);

/// <summary>
/// A status report on an earlier message: which message (<see cref="MessageId"/>, as the SMSC wrote
/// it; match it with <see cref="MessageIds"/>), its state and the carrier's error code. Fields the
/// SMSC left out are null.
/// </summary>
public sealed record DeliveryReceipt(
    string MessageId,
    MessageState State,
    string? ErrorCode,
    int? Submitted,
    int? Delivered,
    DateTimeOffset? SubmitDate,
    DateTimeOffset? DoneDate,
    string? Text)
{
    /// <summary>
    /// What kind of report it is (from esm_class): <see cref="MessageType.DeliveryReceipt"/>,
    /// <see cref="MessageType.IntermediateDeliveryNotification"/>, an SME acknowledgement or a conversation abort.
    /// </summary>
    public MessageType Type { get; init; } = MessageType.DeliveryReceipt;

    /// <summary>The network_error_code TLV, when the SMSC sent a well-formed one (3 octets).</summary>
    public NetworkErrorCode? NetworkError { get; init; }

    /// <summary>Whether the state is final and successful.</summary>
    public bool IsDelivered => State == MessageState.Delivered;

    /// <summary>
    /// Whether the message's fate is settled: never for an intermediate delivery notification, otherwise
    /// when <see cref="State"/> is final (see <see cref="DeliveryReceipts.IsFinal"/>).
    /// </summary>
    public bool Final => Type != MessageType.IntermediateDeliveryNotification && DeliveryReceipts.IsFinal(State);
}

/// <summary>
/// Reads status reports: deliver_sm or data_sm whose esm_class message type is a delivery receipt,
/// an intermediate delivery notification, an SME acknowledgement or a conversation abort (§5.2.12).
/// The text <c>id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…</c> (SMPP 3.4
/// Appendix B) is read in any case with any field missing; the receipted_message_id and message_state
/// TLVs win over the text when present, and network_error_code is read.
/// </summary>
public static partial class DeliveryReceipts
{
    /// <summary>Whether <paramref name="pdu"/> is a status report (any esm_class type but default and the reserved ones), not a message.</summary>
    public static bool IsReceipt(IMessagePdu pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        return EsmClass.IsStatusReport(pdu.EsmClass);
    }

    /// <summary>
    /// Whether <paramref name="state"/> settles a message (§5.2.28). DELIVERED, EXPIRED, DELETED,
    /// UNDELIVERABLE and REJECTED are final. ACCEPTED is final too: §5.2.28 defines it as read on the
    /// subscriber's behalf by customer service, a state nothing follows (SMPP 5.0 §4.7.15 lists it as
    /// final). ENROUTE (still being delivered) and UNKNOWN (an invalid or unrecognised state, e.g. a
    /// <c>stat:</c> word no specification defines) are not: a later report may settle the message.
    /// </summary>
    public static bool IsFinal(MessageState state) => state switch
    {
        MessageState.Delivered or MessageState.Expired or MessageState.Deleted or MessageState.Undeliverable
            or MessageState.Accepted or MessageState.Rejected => true,
        _ => false,
    };

    /// <summary>
    /// Reads the report in <paramref name="pdu"/> (deliver_sm or data_sm; the body is short_message or
    /// message_payload). The text is decoded by data_coding; when that yields no <c>id:</c> but the same
    /// octets read as ASCII/Latin-1 do, those are used: SMSCs often copy the submit's data_coding
    /// (e.g. 0x08 UCS-2) onto an ASCII receipt text. <see cref="DeliveryReceipt.Type"/> is the esm_class
    /// message type; a PDU whose type is not a status report (default or reserved) that still reads as a
    /// receipt is reported as a delivery receipt. Fails when the report names no message id (no
    /// receipted_message_id TLV and no <c>id:</c>).
    /// </summary>
    public static bool TryParse(IMessagePdu pdu, [NotNullWhen(true)] out DeliveryReceipt? receipt, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        var body = pdu.UserData;
        var decoded = SmsBody.Decode(body, pdu.DataCoding, EsmClass.HasUdh(pdu.EsmClass));
        var fromText = ParseFields(decoded.Text ?? "");
        if (fromText.MessageId.Length == 0)
        {
            var asLatin1 = ParseFields(System.Text.Encoding.Latin1.GetString(body));
            if (asLatin1.MessageId.Length > 0)
            {
                fromText = asLatin1;
            }
        }

        var id = pdu.FindTlv(TlvTag.ReceiptedMessageId)?.AsCString() is { Length: > 0 } tlvId ? tlvId : fromText.MessageId;
        if (string.IsNullOrWhiteSpace(id))
        {
            receipt = null;
            error = $"the {pdu.Name} names no message id (no receipted_message_id TLV and no id: in the text)";
            return false;
        }

        var state = pdu.FindTlv(TlvTag.MessageState)?.Value is [var stateByte] && Enum.IsDefined((MessageState)stateByte)
            ? (MessageState)stateByte
            : fromText.State;
        var networkError = pdu.FindTlv(TlvTag.NetworkErrorCode)?.Value is [var network, var high, var low]
            ? new NetworkErrorCode(network, (ushort)((high << 8) | low))
            : null;
        var type = EsmClass.TypeOf(pdu.EsmClass);
        receipt = fromText with
        {
            MessageId = id.Trim(),
            State = state,
            Type = EsmClass.IsStatusReport(type) ? type : MessageType.DeliveryReceipt,
            NetworkError = networkError,
        };
        error = null;
        return true;
    }

    /// <summary>Reads a receipt's text alone; fails when it has no <c>id:</c>.</summary>
    public static bool TryParseText(string text, [NotNullWhen(true)] out DeliveryReceipt? receipt, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        receipt = ParseFields(text);
        if (receipt.MessageId.Length == 0)
        {
            receipt = null;
            error = "the receipt text has no id: field";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Maps a <c>stat:</c> word (DELIVRD, UNDELIV, …, in any case) to a state; anything else is <see cref="MessageState.Unknown"/>.</summary>
    public static MessageState StateFromText(string? stat) => stat?.Trim().ToUpperInvariant() switch
    {
        "DELIVRD" or "DELIVERED" => MessageState.Delivered,
        "EXPIRED" => MessageState.Expired,
        "DELETED" => MessageState.Deleted,
        "UNDELIV" or "UNDELIVERABLE" => MessageState.Undeliverable,
        "ACCEPTD" or "ACCEPTED" => MessageState.Accepted,
        "REJECTD" or "REJECTED" => MessageState.Rejected,
        "ENROUTE" => MessageState.Enroute,
        _ => MessageState.Unknown,
    };

    /// <summary>The <c>stat:</c> word the specification uses for <paramref name="state"/>.</summary>
    public static string TextFromState(MessageState state) => state switch
    {
        MessageState.Delivered => "DELIVRD",
        MessageState.Expired => "EXPIRED",
        MessageState.Deleted => "DELETED",
        MessageState.Undeliverable => "UNDELIV",
        MessageState.Accepted => "ACCEPTD",
        MessageState.Rejected => "REJECTD",
        MessageState.Enroute => "ENROUTE",
        _ => "UNKNOWN",
    };

    /// <summary>Writes a receipt text in the specification's layout (what an SMSC sends).</summary>
    public static string Format(DeliveryReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return string.Create(CultureInfo.InvariantCulture,
            $"id:{receipt.MessageId} sub:{receipt.Submitted ?? 1:D3} dlvrd:{receipt.Delivered ?? 0:D3} " +
            $"submit date:{FormatDate(receipt.SubmitDate)} done date:{FormatDate(receipt.DoneDate)} " +
            $"stat:{TextFromState(receipt.State)} err:{receipt.ErrorCode ?? "000"} text:{receipt.Text ?? ""}");
    }

    private static string FormatDate(DateTimeOffset? date) =>
        date?.UtcDateTime.ToString("yyMMddHHmm", CultureInfo.InvariantCulture) ?? "0000000000";

    private static DeliveryReceipt ParseFields(string text)
    {
        string? id = null, sub = null, dlvrd = null, submitDate = null, doneDate = null, stat = null, err = null, body = null;
        var matches = FieldPattern().Matches(text);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : text.Length;
            var key = matches[i].Groups["key"].Value.ToUpperInvariant();
            var value = key == "TEXT" ? text[start..] : text[start..end].Trim();
            switch (key)
            {
                case "ID":
                    id ??= value;
                    break;
                case "SUB":
                    sub ??= value;
                    break;
                case "DLVRD":
                    dlvrd ??= value;
                    break;
                case "STAT":
                    stat ??= value;
                    break;
                case "ERR":
                    err ??= value;
                    break;
                case "TEXT":
                    body ??= value;
                    i = matches.Count;
                    break;
                default:
                    if (key.StartsWith("SUBMIT", StringComparison.Ordinal))
                    {
                        submitDate ??= value;
                    }
                    else
                    {
                        doneDate ??= value;
                    }

                    break;
            }
        }

        return new DeliveryReceipt(
            id ?? "",
            StateFromText(stat),
            string.IsNullOrEmpty(err) ? null : err,
            ParseCount(sub),
            ParseCount(dlvrd),
            ParseDate(submitDate),
            ParseDate(doneDate),
            body);
    }

    private static int? ParseCount(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;

    // YYMMDDhhmm, optionally followed by ss; read as UTC (receipts carry no zone).
    private static DateTimeOffset? ParseDate(string? value)
    {
        if (value is null)
        {
            return null;
        }

        string[] formats = ["yyMMddHHmm", "yyMMddHHmmss"];
        return DateTime.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? new DateTimeOffset(date, TimeSpan.Zero)
            : null;
    }

    [GeneratedRegex(@"(?<![A-Za-z])(?<key>id|sub|dlvrd|submit[ _]?date|done[ _]?date|stat|err|text)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();
}
