using Microsoft.Extensions.Logging;
using Pool.Carriers.Smpp;
using Pool.Sms.Numbers;

namespace Pool.Carriers.Simulator;

/// <summary>SMSC simulator log events, 7250–7269. Numbers only ever appear masked.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 7250, Level = LogLevel.Information, Message = "SMSC simulator {SmscSystemId} listening on port {Port}")]
    public static partial void Listening(ILogger logger, string smscSystemId, int port);

    [LoggerMessage(EventId = 7251, Level = LogLevel.Information, Message = "SMSC simulator bound {Mode} {SystemId} from {Peer}")]
    public static partial void Bound(ILogger logger, Pool.Sms.Smpp.BindMode mode, string systemId, string peer);

    [LoggerMessage(EventId = 7252, Level = LogLevel.Information, Message = "SMSC simulator refused bind as {SystemId} from {Peer}: {Status}")]
    public static partial void BindRefused(ILogger logger, string systemId, string peer, StatusName status);

    [LoggerMessage(EventId = 7253, Level = LogLevel.Warning, Message = "SMSC simulator faults set: {Faults}")]
    public static partial void FaultsSet(ILogger logger, SimulatorFaults faults);

    [LoggerMessage(EventId = 7254, Level = LogLevel.Debug, Message = "SMSC simulator accepted a message to {To} as {MessageId}")]
    public static partial void Accepted(ILogger logger, MaskedNumber to, string messageId);

    [LoggerMessage(EventId = 7255, Level = LogLevel.Warning, Message = "SMSC simulator could not send a deliver_sm to {To}: {Reason}")]
    public static partial void DeliverFailed(ILogger logger, MaskedNumber to, string reason);
}
