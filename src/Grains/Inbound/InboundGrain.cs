using Orleans.Concurrency;
using Pool.Contracts.Inbound;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Sms.Numbers;
using Pool.Sms.Otp;

namespace Pool.Grains.Inbound;

/// <summary>
/// Stores an inbound SMS, then routes it through its number to the live lease and on to the lease's
/// tenant. Storing comes first, so nothing accepted is lost: a message whose silo died before routing
/// finished is routed again by <see cref="InboundMaintenanceGrain"/> (or by the carrier's retry).
/// </summary>
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
            InboundMetrics.Message(InboundOutcome.Duplicate);
            return new InboundResult(messageId, InboundOutcome.Duplicate);
        }

        var leaseId = await RouteAsync(new UnroutedMessage(messageId, message.Number, message.ReceivedAt, otp?.Code is not null));
        var outcome = leaseId is null ? InboundOutcome.Unsolicited : InboundOutcome.Delivered;
        InboundMetrics.Message(outcome);
        return new InboundResult(messageId, outcome);
    }

    public async Task RouteStoredAsync(string messageId)
    {
        if (await store.FindUnroutedAsync(messageId) is { } message)
        {
            InboundLog.Recovering(logger, messageId);
            await RouteAsync(message);
        }
    }

    public Task<IReadOnlyList<StoredMessage>> ListForLeaseAsync(string leaseId) => store.ListForLeaseAsync(leaseId);

    /// <summary>Offers the message to its number; returns the lease it was delivered to, or null (unsolicited).</summary>
    private async Task<string?> RouteAsync(UnroutedMessage message)
    {
        string? delivered = null;
        var leaseId = await GrainFactory.GetGrain<INumberGrain>(message.Number).RecordMessageAsync(message.ReceivedAt);
        if (leaseId is not null)
        {
            await store.AttachLeaseAsync(message.MessageId, leaseId);
            var lease = await GrainFactory.GetGrain<ILeaseGrain>(leaseId).RecordMessageAsync(message.HasCode);
            if (lease.Status == LeaseStatus.Active)
            {
                await GrainFactory.GetGrain<ITenantInboxGrain>(lease.TenantId).AppendAsync(message.MessageId, leaseId);
                delivered = leaseId;
            }
        }

        if (delivered is null)
        {
            await store.MarkUnsolicitedAsync(message.MessageId);
        }

        InboundLog.Routed(logger, message.MessageId, new MaskedNumber(message.Number), delivered ?? "(none)", message.HasCode);
        return delivered;
    }
}

internal static partial class InboundLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Message {MessageId} to {Number} routed to lease {LeaseId} (code found: {HasCode})")]
    public static partial void Routed(ILogger logger, string messageId, MaskedNumber number, string leaseId, bool hasCode);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Duplicate message {CarrierMessageId} from carrier {Carrier} dropped")]
    public static partial void Duplicate(ILogger logger, string carrier, string carrierMessageId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Message {MessageId} was stored but never routed; routing it now")]
    public static partial void Recovering(ILogger logger, string messageId);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Purged the text of {Count} messages past their retention")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Concatenated message {Key} to {Number} released incomplete: parts {Missing} of {Total} never arrived")]
    public static partial void ReleasedIncomplete(ILogger logger, string key, MaskedNumber number, IReadOnlyList<int> missing, int total);
}
