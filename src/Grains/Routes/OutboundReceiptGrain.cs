using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Sms.Encoding;
using Pool.Sms.Logging;

namespace Pool.Grains.Routes;

/// <summary>
/// Takes carriers' status reports: each is stored before the call returns (so a carrier acknowledges
/// only what is durable), then applied to the part it names. A final receipt that settles its part is
/// counted in the route's health and handed to the message's owner, once: only the store transaction
/// that settled the part returns it. Once the report is stored the carrier's answer depends on nothing
/// else: an owner that could not be told is told by <see cref="OutboundOwnerSweepGrain"/>, and a
/// receipt the route's health missed is only logged (health is a live, in-memory view; see
/// <see cref="OutboundOwnerSweepGrain"/>). A report whose submit is not recorded yet stays pending
/// until the submit claims it (<see cref="RouteSelectorGrain"/>).
/// </summary>
[StatelessWorker] // Reports are independent: any silo records them locally, many at once.
[Reentrant] // No mutable state: a report spends its time awaiting the database, and an SMSC's window of deliver_sm must not queue behind one.
public sealed class OutboundReceiptGrain(
    OutboundStore store,
    RouteCache cache,
    IOptions<RouteSelectionOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<OutboundReceiptGrain> logger) : Grain, IOutboundReceiptGrain
{
    public async Task<StatusReportOutcome> RecordAsync(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        // Carrier text as PostgreSQL can keep it (a NUL becomes U+FFFD), so such a report is stored once instead of failing for ever.
        report = report with
        {
            Connection = StoredText.Clean(report.Connection),
            CarrierMessageId = StoredText.Clean(report.CarrierMessageId),
            State = StoredText.Clean(report.State),
            Error = StoredText.CleanOrNull(report.Error),
        };
        ReportRecording recorded;
        try
        {
            recorded = await store.RecordReportAsync(report, options.Value.ReportWindows, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            RouteLog.ReportNotStored(logger, new Quoted(report.Connection), new Quoted(report.CarrierMessageId), ex);
            throw new PoolException(PoolErrorCode.Unavailable, "the status report could not be stored; retry");
        }

        switch (recorded.Outcome)
        {
            case StatusReportOutcome.Pending:
                RouteLog.ReportPending(logger, new Quoted(report.Connection), new Quoted(report.CarrierMessageId), new Quoted(report.State));
                break;
            case StatusReportOutcome.Duplicate:
                RouteLog.ReportRepeated(logger, new Quoted(report.Connection), new Quoted(report.CarrierMessageId), new Quoted(report.State));
                break;
        }

        if (recorded.Settlement is { } settlement)
        {
            await CountAsync(GrainFactory, cache, settlement, logger);
            await OwnerNotices.TellAndMarkAsync(GrainFactory, store, time, settlement, logger);
        }

        return recorded.Outcome;
    }

    /// <summary>Counts a settled part's receipt in its route's health (and the silo's cache of it); a failure is logged, not thrown.</summary>
    internal static async Task CountAsync(IGrainFactory grains, RouteCache cache, Settlement settlement, ILogger logger)
    {
        try
        {
            var route = await grains.GetGrain<ICarrierRouteGrain>(settlement.RouteId).RecordReceiptAsync(settlement.Delivered);
            cache.Put(settlement.RouteId, route);
        }
        catch (Exception ex)
        {
            RouteLog.ReceiptNotCounted(logger, settlement.RouteId, ex);
        }
    }
}
