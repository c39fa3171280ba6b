using Microsoft.Extensions.Logging;
using Pool.Sms.Numbers;

namespace Pool.Carriers.Smpp;

/// <summary>ESME client log events, 7210–7239. Numbers only ever appear masked.</summary>
internal static partial class EsmeLog
{
    [LoggerMessage(EventId = 7210, Level = LogLevel.Information, Message = "Bound to SMSC {Endpoint} as {SystemId} (SMSC system id {SmscSystemId})")]
    public static partial void Bound(ILogger logger, string endpoint, string systemId, string smscSystemId);

    [LoggerMessage(EventId = 7211, Level = LogLevel.Warning, Message = "SMSC {Endpoint} refused bind as {SystemId}: {Status}")]
    public static partial void BindRefused(ILogger logger, string endpoint, string systemId, StatusName status);

    [LoggerMessage(EventId = 7212, Level = LogLevel.Warning, Message = "Cannot reach SMSC {Endpoint}: {Reason}; retrying in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 7213, Level = LogLevel.Warning, Message = "Session with SMSC {Endpoint} ended; reconnecting")]
    public static partial void SessionLost(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7214, Level = LogLevel.Warning, Message = "SMSC {Endpoint} did not answer enquire_link within {Timeout}; dropping the session")]
    public static partial void EnquireLinkTimedOut(ILogger logger, string endpoint, TimeSpan timeout);

    [LoggerMessage(EventId = 7215, Level = LogLevel.Debug, Message = "Submit to {To} part {Part}/{Parts} throttled by SMSC; retry {Retry} in {Delay}")]
    public static partial void Throttled(ILogger logger, MaskedNumber to, int part, int parts, int retry, TimeSpan delay);

    [LoggerMessage(EventId = 7216, Level = LogLevel.Information, Message = "Submit to {To} part {Part}/{Parts} failed: {Outcome} {Status}")]
    public static partial void SubmitFailed(ILogger logger, MaskedNumber to, int part, int parts, SmppSubmitOutcome outcome, StatusName status);

    [LoggerMessage(EventId = 7217, Level = LogLevel.Warning, Message = "SMSC {Endpoint}: {Command} not taken, answered ESME_RX_T_APPN so the SMSC delivers it again: {Reason}")]
    public static partial void DeliveryNotTaken(ILogger logger, string endpoint, string command, string reason);

    [LoggerMessage(EventId = 7218, Level = LogLevel.Information, Message = "Unbound from SMSC {Endpoint}")]
    public static partial void Unbound(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7219, Level = LogLevel.Information, Message = "SMSC {Endpoint} asked to unbind")]
    public static partial void UnbindRequested(ILogger logger, string endpoint);
}

/// <summary>A command_status on its way to a log line: printed by its specification name, only when the line is written.</summary>
internal readonly record struct StatusName(uint Value)
{
    public override string ToString() => Pool.Sms.Smpp.SmppStatus.Name(Value);
}
