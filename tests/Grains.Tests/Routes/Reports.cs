using Pool.Contracts.Routes;

namespace Pool.Grains.Tests.Routes;

/// <summary>Status reports as a carrier connection makes them.</summary>
internal static class Reports
{
    public static StatusReport Final(string connection, string carrierMessageId, bool delivered, string? error = null, DateTimeOffset? receivedAt = null) =>
        new(connection, carrierMessageId, StatusReportKind.DeliveryReceipt, delivered ? "DELIVRD" : "UNDELIV", Final: true, delivered, error, receivedAt ?? DateTimeOffset.UtcNow);

    public static StatusReport Intermediate(string connection, string carrierMessageId, DateTimeOffset? receivedAt = null) =>
        new(connection, carrierMessageId, StatusReportKind.IntermediateNotification, "ENROUTE", Final: false, Delivered: false, null, receivedAt ?? DateTimeOffset.UtcNow);

    public static StatusReport Acknowledgement(string connection, string carrierMessageId, DateTimeOffset? receivedAt = null) =>
        new(connection, carrierMessageId, StatusReportKind.SmeAcknowledgement, "ACCEPTD", Final: true, Delivered: true, null, receivedAt ?? DateTimeOffset.UtcNow);
}
