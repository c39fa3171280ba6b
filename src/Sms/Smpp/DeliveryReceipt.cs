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

/// <summary>
/// A delivery receipt: which message (<see cref="MessageId"/>, as the SMSC wrote it; match it with
/// <see cref="MessageIds"/>), its final state and the carrier's error code. Fields the SMSC left out are null.
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
    /// <summary>Whether the state is final and successful.</summary>
    public bool IsDelivered => State == MessageState.Delivered;
}

/// <summary>
/// Reads delivery receipts (deliver_sm with esm_class message type 0x04). The text
/// <c>id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…</c> (SMPP 3.4 Appendix B) is
/// read in any case with any field missing; the receipted_message_id and message_state TLVs win over
/// the text when present.
/// </summary>
public static partial class DeliveryReceipts
{
    /// <summary>Whether <paramref name="pdu"/> is a delivery receipt rather than a mobile-originated message.</summary>
    public static bool IsReceipt(DeliverSm pdu)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        return EsmClass.IsDeliveryReceipt(pdu.EsmClass);
    }

    /// <summary>Reads the receipt in <paramref name="pdu"/>; fails when it names no message id.</summary>
    public static bool TryParse(DeliverSm pdu, [NotNullWhen(true)] out DeliveryReceipt? receipt, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        var body = pdu.FindTlv(TlvTag.MessagePayload)?.Value is { Length: > 0 } payload && pdu.ShortMessage.Length == 0
            ? payload
            : pdu.ShortMessage;
        var text = SmsBody.TryDecode(body, pdu.DataCoding, EsmClass.HasUdh(pdu.EsmClass), out var decoded, out _, Gsm7Packing.Unpacked)
            ? decoded.Text
            : System.Text.Encoding.Latin1.GetString(body);
        var fromText = ParseFields(text);

        var id = pdu.FindTlv(TlvTag.ReceiptedMessageId)?.AsCString() is { Length: > 0 } tlvId ? tlvId : fromText.MessageId;
        if (string.IsNullOrWhiteSpace(id))
        {
            receipt = null;
            error = "the receipt names no message id (no receipted_message_id TLV and no id: in the text)";
            return false;
        }

        var state = pdu.FindTlv(TlvTag.MessageState)?.Value is [var stateByte] && Enum.IsDefined((MessageState)stateByte)
            ? (MessageState)stateByte
            : fromText.State;
        receipt = fromText with { MessageId = id.Trim(), State = state };
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
