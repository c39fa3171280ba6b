using Pool.Sms.Smpp;

namespace Pool.Carriers.Smpp;

/// <summary>How a submit over one SMPP bind ended.</summary>
public enum SmppSubmitOutcome
{
    /// <summary>Every part was accepted; <see cref="SmppSubmitResult.MessageIds"/> has one id per part.</summary>
    Accepted,

    /// <summary>The SMSC refused a part with <see cref="SmppSubmitResult.CommandStatus"/> (generic_nack included).</summary>
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
/// <see cref="Latency"/> is the SMSC's answer time summed over the parts (time spent waiting for a window
/// place or out a throttle pause is not the SMSC's latency and is not counted).
/// </summary>
public sealed record SmppSubmitResult(SmppSubmitOutcome Outcome, IReadOnlyList<string> MessageIds, int Parts, uint CommandStatus, string? Detail, TimeSpan Latency)
{
    public bool Succeeded => Outcome == SmppSubmitOutcome.Accepted;

    /// <summary>The command_status as the specification names it ("ESME_RSYSERR").</summary>
    public string StatusName => SmppStatus.Name(CommandStatus);
}

/// <summary>
/// A deliver_sm or data_sm the SMSC sent (an MO message or part, or a status report), handed to the
/// bind's owner before it is answered. <see cref="Pdu"/> is the request as decoded.
/// </summary>
public sealed record SmscDelivery(Pdu Pdu, DateTimeOffset ReceivedAt);

/// <summary>Where an <see cref="EsmeClient"/>'s session stands.</summary>
public enum EsmeState
{
    Disconnected,
    Connecting,
    Bound,
    Stopped,
}
