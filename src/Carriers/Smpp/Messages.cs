using Pool.Sms.Smpp;

namespace Pool.Carriers.Smpp;

/// <summary>A message to send: <paramref name="To"/> in E.164, <paramref name="From"/> a number or an alphanumeric sender id.</summary>
public sealed record OutboundSms(string To, string From, string Text);

/// <summary>How a submit ended.</summary>
public enum SubmitOutcome
{
    /// <summary>Every part was accepted; <see cref="SubmitResult.MessageIds"/> has one id per part.</summary>
    Accepted,

    /// <summary>The SMSC refused a part with <see cref="SubmitResult.CommandStatus"/> (generic_nack included).</summary>
    Rejected,

    /// <summary>The SMSC kept answering ESME_RTHROTTLED past the retry limit.</summary>
    Throttled,

    /// <summary>No response within the response timeout; the SMSC may or may not have taken the part.</summary>
    TimedOut,

    /// <summary>No bound session when the part was to be sent; nothing of this part reached the SMSC.</summary>
    NotConnected,

    /// <summary>The session dropped while a part waited for its response; the SMSC may or may not have taken it.</summary>
    ConnectionLost,
}

/// <summary>
/// The result of <see cref="EsmeClient.SubmitAsync"/>. Parts go in order and the first failure stops the
/// rest: <see cref="MessageIds"/> then holds the ids of the parts accepted before it.
/// </summary>
public sealed record SubmitResult(SubmitOutcome Outcome, IReadOnlyList<string> MessageIds, int Parts, uint CommandStatus, string? Detail)
{
    public bool Succeeded => Outcome == SubmitOutcome.Accepted;

    /// <summary>The command_status as the specification names it ("ESME_RSYSERR").</summary>
    public string StatusName => SmppStatus.Name(CommandStatus);
}

/// <summary>
/// A mobile-originated message. Concatenated parts are reassembled before it is handed over; when parts
/// stay missing past the concatenation timeout it is handed over with <see cref="IsComplete"/> false and
/// a marker where they belong. <see cref="Sender"/> gets a '+' when the SMSC marked it international.
/// </summary>
/// <summary>One MO deliver_sm as the SMSC sent it: a whole message, or one part of a concatenated one.</summary>
public sealed record MoPart(string Sender, string Recipient, string Text, Pool.Sms.Encoding.ConcatenationInfo? Concatenation, DateTimeOffset ReceivedAt);

public sealed record MoMessage(string Sender, string Recipient, string Text, bool IsComplete, int Parts, DateTimeOffset ReceivedAt);

/// <summary>
/// A delivery receipt. <see cref="SubmittedMessageId"/> is the id submit_sm_resp gave for the message
/// (whatever form the receipt used) when this client submitted it recently; null otherwise.
/// </summary>
public sealed record ReceiptNotice(string ReceiptedMessageId, string? SubmittedMessageId, MessageState State, string? ErrorCode, DeliveryReceipt Receipt);

/// <summary>Where an <see cref="EsmeClient"/>'s session stands.</summary>
public enum EsmeState
{
    Disconnected,
    Connecting,
    Bound,
    Stopped,
}
