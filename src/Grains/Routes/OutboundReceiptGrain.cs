using Orleans.Concurrency;
using Pool.Contracts.Routes;

namespace Pool.Grains.Routes;

/// <summary>
/// Takes carriers' delivery receipts: the first receipt of a message part is recorded in
/// outbound_messages, counted in its route's health and handed to the message's owner. A repeated
/// receipt (carriers resend them) changes nothing.
/// </summary>
[StatelessWorker] // Receipts are independent: any silo records them locally, many at once.
public sealed class OutboundReceiptGrain(
    OutboundStore store,
    RouteCache cache,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<OutboundReceiptGrain> logger) : Grain, IOutboundReceiptGrain
{
    public async Task<StatusReportOutcome> RecordAsync(StatusReport report)
    {
        if (!report.Final)
        {
            return StatusReportOutcome.Recorded;
        }

        var match = await store.RecordReceiptAsync(report.Connection, report.CarrierMessageId, report.Delivered, report.Error, time.GetUtcNow());
        if (match is not { } message)
        {
            RouteLog.ReceiptUnmatched(logger, report.Connection, report.CarrierMessageId);
            return StatusReportOutcome.Pending;
        }

        var route = await GrainFactory.GetGrain<ICarrierRouteGrain>(message.RouteId).RecordReceiptAsync(report.Delivered);
        cache.Put(message.RouteId, route);
        await OutboundReferences.DeliverAsync(GrainFactory, message.Reference, report.Delivered);
        return StatusReportOutcome.Recorded;
    }
}
