using Orleans.Concurrency;
using Pool.Contracts.Inbound;
using Pool.Grains.Routes;
using Pool.Sms.Numbers;

namespace Pool.Grains.Inbound;

/// <summary>Reads what operators must look at on the carrier side (flagged messages, pending status reports) from the tables.</summary>
[StatelessWorker] // Read-only queries: any silo answers them locally.
public sealed class CarrierIntakeDirectoryGrain(MessageStore messages, OutboundStore outbound, ILogger<CarrierIntakeDirectoryGrain> logger) : Grain, ICarrierIntakeDirectoryGrain
{
    public async Task<IReadOnlyList<FlaggedInbound>> ListFlaggedAsync(string? flag, int limit, DateTimeOffset? before)
    {
        var found = await StoreFaults.GuardAsync(() => messages.ListFlaggedAsync(flag, limit, before), logger, "listing flagged messages");
        return [.. found.Select(m => new FlaggedInbound(
            m.MessageId, m.Carrier, m.SenderMasked, m.Number.StartsWith('+') ? E164.Mask(m.Number) : Pool.Sms.Logging.LogRedaction.MaskNumbers(m.Number),
            m.Text, m.ReceivedAt, m.Flags, m.Routed, m.LeaseId, m.Raw))];
    }

    public Task<IReadOnlyList<StoredStatusReport>> ListReportsAsync(string? connection, bool pendingOnly, int limit) =>
        StoreFaults.GuardAsync(() => outbound.ListReportsAsync(connection, pendingOnly, limit), logger, "listing status reports");
}
