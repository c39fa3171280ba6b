using Pool.Contracts.Routes;
using Pool.Sms.Logging;
using Pool.Sms.Numbers;

namespace Pool.Grains.Routes;

internal static partial class RouteLog
{
    [LoggerMessage(EventId = 12001, Level = LogLevel.Information, Message = "Route {RouteId} defined on connection {Connection} (priority {Priority}, enabled {Enabled})")]
    public static partial void Defined(ILogger logger, string routeId, string connection, int priority, bool enabled);

    [LoggerMessage(EventId = 12002, Level = LogLevel.Warning, Message = "Route {RouteId} override set to {Override}")]
    public static partial void Overridden(ILogger logger, string routeId, RouteOverride @override);

    [LoggerMessage(EventId = 12003, Level = LogLevel.Warning, Message = "Route {RouteId} went from {FromState}/{FromCircuit} to {State}/{Circuit} (score {Score}): {Reason}")]
    public static partial void StateChanged(ILogger logger, string routeId, RouteState fromState, CircuitState fromCircuit, RouteState state, CircuitState circuit, double score, string reason);

    [LoggerMessage(EventId = 12004, Level = LogLevel.Information, Message = "Route table of {Country} set: primary {Primary}, secondary {Secondary}")]
    public static partial void TableSet(ILogger logger, string country, IReadOnlyList<string> primary, IReadOnlyList<string> secondary);

    [LoggerMessage(EventId = 12005, Level = LogLevel.Warning, Message = "Submit to {Number} on route {RouteId} failed ({Outcome}): {Error}")]
    public static partial void SubmitFailed(ILogger logger, string routeId, MaskedNumber number, SubmitOutcome outcome, string error);

    [LoggerMessage(EventId = 12006, Level = LogLevel.Error, Message = "No route for a message to {Number} ({Country}): {Summary}")]
    public static partial void Unavailable(ILogger logger, MaskedNumber number, string country, string summary);

    [LoggerMessage(EventId = 12007, Level = LogLevel.Error, Message = "Message {Reference} was accepted on route {RouteId} (it is out) but could not be recorded for its status reports; they will be stored as pending, matched to no message, and its owner will not hear of its delivery")]
    public static partial void SentNotRecorded(ILogger logger, string routeId, string reference, Exception exception);

    [LoggerMessage(EventId = 12008, Level = LogLevel.Debug, Message = "Status report {State} of {CarrierMessageId} on connection {Connection} matches no unsettled message yet: stored as pending")]
    public static partial void ReportPending(ILogger logger, Quoted connection, Quoted carrierMessageId, Quoted state);

    [LoggerMessage(EventId = 12009, Level = LogLevel.Debug, Message = "Status report {State} of {CarrierMessageId} on connection {Connection} repeats one stored before")]
    public static partial void ReportRepeated(ILogger logger, Quoted connection, Quoted carrierMessageId, Quoted state);

    [LoggerMessage(EventId = 12010, Level = LogLevel.Error, Message = "Status report of {CarrierMessageId} on connection {Connection} could not be stored; the carrier is told to retry")]
    public static partial void ReportNotStored(ILogger logger, Quoted connection, Quoted carrierMessageId, Exception exception);

    [LoggerMessage(EventId = 12011, Level = LogLevel.Information, Message = "Message {Reference} on route {RouteId}: {Count} status reports that arrived before its submit was recorded were applied")]
    public static partial void PendingReportsApplied(ILogger logger, string routeId, string reference, int count);

    [LoggerMessage(EventId = 12012, Level = LogLevel.Warning, Message = "Message {Reference}: its owner could not be told of its delivery; the owner sweep tells it later")]
    public static partial void OwnerNotTold(ILogger logger, string reference, Exception exception);

    [LoggerMessage(EventId = 12013, Level = LogLevel.Warning, Message = "Message {Reference}: its owner was told of its delivery but that could not be recorded; the owner sweep tells it again")]
    public static partial void OwnerToldNotMarked(ILogger logger, string reference, Exception exception);

    [LoggerMessage(EventId = 12014, Level = LogLevel.Warning, Message = "Route {RouteId}: a settled message's receipt could not be counted in its health")]
    public static partial void ReceiptNotCounted(ILogger logger, string routeId, Exception exception);

    [LoggerMessage(EventId = 12015, Level = LogLevel.Information, Message = "Owner sweep: told the owners of {Told} of {Found} settled message parts whose owners had not heard")]
    public static partial void OwnersSwept(ILogger logger, int told, int found);

    [LoggerMessage(EventId = 12016, Level = LogLevel.Error, Message = "Owner sweep failed on the database; the next tick retries")]
    public static partial void OwnerSweepFailed(ILogger logger, Exception exception);

}
