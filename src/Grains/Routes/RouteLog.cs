using Pool.Contracts.Routes;
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

    [LoggerMessage(EventId = 12007, Level = LogLevel.Warning, Message = "Message {Reference} accepted on route {RouteId} but not recorded for its receipts")]
    public static partial void SentNotRecorded(ILogger logger, string routeId, string reference, Exception exception);

    [LoggerMessage(EventId = 12008, Level = LogLevel.Debug, Message = "Receipt {CarrierMessageId} on connection {Connection} matches no unreceipted message")]
    public static partial void ReceiptUnmatched(ILogger logger, string connection, string carrierMessageId);
}
