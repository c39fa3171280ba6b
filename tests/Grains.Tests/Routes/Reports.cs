using Pool.Contracts.Routes;

namespace Pool.Grains.Tests.Routes;

/// <summary>Status reports as a carrier connection makes them.</summary>
internal static class Reports
{
    public static StatusReport Final(string connection, string carrierMessageId, bool delivered, string? error = null) =>
        new(connection, carrierMessageId, StatusReportKind.DeliveryReceipt, delivered ? "DELIVRD" : "UNDELIV", Final: true, delivered, error, DateTimeOffset.UtcNow);
}
