using Orleans.Concurrency;
using Pool.Contracts.Inbound;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Sms.Numbers;
using Pool.Sms.Otp;

namespace Pool.Grains.Inbound;

/// <summary>Stores an inbound SMS, then routes it through its number to the live lease.</summary>
[StatelessWorker] // Messages are independent: any silo handles them locally, many at once.
public sealed class InboundGrain(MessageStore store, ILogger<InboundGrain> logger) : Grain, IInboundGrain
{
    public async Task<InboundResult> AcceptAsync(InboundMessage message)
    {
        var otp = OtpExtractor.Extract(message.Text);
        var (messageId, needsRouting) = await store.StoreAsync(message, otp);
        if (!needsRouting)
        {
            InboundLog.Duplicate(logger, message.Carrier, message.CarrierMessageId);
            return new InboundResult(messageId, InboundOutcome.Duplicate);
        }

        var leaseId = await GrainFactory.GetGrain<INumberGrain>(message.Number).RecordMessageAsync(message.ReceivedAt);
        string? tenantId = null;
        if (leaseId is not null)
        {
            // Attach the message before telling the lease, so a client woken by the lease finds it.
            await store.MarkRoutedAsync(messageId, leaseId, null);
            var lease = await GrainFactory.GetGrain<ILeaseGrain>(leaseId).RecordMessageAsync(hasCode: otp?.Code is not null);
            tenantId = lease.Status == LeaseStatus.Active ? lease.TenantId : null;
            leaseId = tenantId is null ? null : leaseId;
        }

        await store.MarkRoutedAsync(messageId, leaseId, tenantId);
        InboundLog.Accepted(logger, messageId, new MaskedNumber(message.Number), leaseId ?? "(none)", otp?.Code is not null);
        return new InboundResult(messageId, leaseId is null ? InboundOutcome.Unsolicited : InboundOutcome.Delivered);
    }

    public Task<IReadOnlyList<StoredMessage>> ListForLeaseAsync(string leaseId) => store.ListForLeaseAsync(leaseId);
}

internal static partial class InboundLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Message {MessageId} to {Number} routed to lease {LeaseId} (code found: {HasCode})")]
    public static partial void Accepted(ILogger logger, string messageId, MaskedNumber number, string leaseId, bool hasCode);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Duplicate message {CarrierMessageId} from carrier {Carrier} dropped")]
    public static partial void Duplicate(ILogger logger, string carrier, string carrierMessageId);
}
