using Orleans.Concurrency;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Sms.Encoding;
using Pool.Sms.Logging;
using Pool.Sms.Numbers;
using Pool.Sms.Otp;

namespace Pool.Grains.Inbound;

/// <summary>
/// Stores an inbound SMS, then routes it through its number to the live lease and on to the lease's
/// tenant. Storing comes first, so nothing accepted is lost: a message whose silo died before routing
/// finished is routed again by <see cref="InboundMaintenanceGrain"/> (or by the carrier's retry).
/// </summary>
[StatelessWorker] // Messages are independent: any silo handles them locally, many at once.
[Reentrant] // No mutable state: a message spends its time awaiting the database and its number, and an SMSC's window of deliver_sm must not queue behind one.
public sealed class InboundGrain(MessageStore store, ILogger<InboundGrain> logger) : Grain, IInboundGrain
{
    public async Task<InboundResult> AcceptAsync(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message = Storable(message);
        // Codes are read only from text: a binary or undecodable body shown as hex holds no code.
        var otp = InboundFlags.IsText(message.Flags) ? Extract(message) : null;
        var stored = await StoreFaults.GuardAsync(() => store.StoreAsync(message, otp), logger, "storing an inbound message");
        if (stored.Inserted && message.Flags.Count > 0)
        {
            InboundLog.Flagged(logger, stored.MessageId, new Quoted(message.Carrier), string.Join(',', message.Flags), new Quoted(message.Raw?.Problem ?? "", 200));
        }

        if (!stored.NeedsRouting)
        {
            if (stored.Inserted)
            {
                // Unroutable: stored as routed and unsolicited; its number (maybe not E.164) activates no grain.
                InboundMetrics.Message(InboundOutcome.Unsolicited);
                return new InboundResult(stored.MessageId, InboundOutcome.Unsolicited);
            }

            InboundLog.Duplicate(logger, new Quoted(message.Carrier), new Quoted(message.CarrierMessageId));
            InboundMetrics.Message(InboundOutcome.Duplicate);
            return new InboundResult(stored.MessageId, InboundOutcome.Duplicate);
        }

        var leaseId = await RouteAsync(new UnroutedMessage(stored.MessageId, message.Number, message.ReceivedAt, otp?.Code is not null));
        var outcome = leaseId is null ? InboundOutcome.Unsolicited : InboundOutcome.Delivered;
        InboundMetrics.Message(outcome);
        return new InboundResult(stored.MessageId, outcome);
    }

    public async Task RouteStoredAsync(string messageId)
    {
        if (await StoreFaults.GuardAsync(() => store.FindUnroutedAsync(messageId), logger, "reading an unrouted message") is { } message)
        {
            InboundLog.Recovering(logger, messageId);
            await RouteAsync(message);
        }
    }

    public Task<IReadOnlyList<StoredMessage>> ListForLeaseAsync(string leaseId) =>
        StoreFaults.GuardAsync(() => store.ListForLeaseAsync(leaseId), logger, "listing a lease's messages");

    /// <summary>
    /// The message with every text field as PostgreSQL and .NET can keep it (<see cref="StoredText"/>: a
    /// NUL or half a surrogate pair becomes U+FFFD; the raw bytes stay in <see cref="InboundMessage.Raw"/>),
    /// so such input is stored once instead of failing on every retry.
    /// </summary>
    internal static InboundMessage Storable(InboundMessage message) => message with
    {
        Carrier = StoredText.Clean(message.Carrier),
        CarrierMessageId = StoredText.Clean(message.CarrierMessageId),
        Sender = StoredText.Clean(message.Sender),
        Number = StoredText.Clean(message.Number),
        Text = StoredText.Clean(message.Text),
        Raw = message.Raw is { } raw
            ? raw with { DestinationAddress = StoredText.Clean(raw.DestinationAddress), Problem = StoredText.CleanOrNull(raw.Problem) }
            : null,
    };

    /// <summary>Offers the message to its number; returns the lease it was delivered to, or null (unsolicited).</summary>
    private async Task<string?> RouteAsync(UnroutedMessage message)
    {
        string? delivered = null;
        string? leaseId;
        try
        {
            leaseId = await GrainFactory.GetGrain<INumberGrain>(message.Number).RecordMessageAsync(message.ReceivedAt);
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.NotFound)
        {
            // A number, but not one of Pool's: kept flagged, and routing is finished (a retry would not change it).
            await StoreFaults.GuardAsync(() => store.MarkUnroutableAsync(message.MessageId, "the recipient is not one of Pool's numbers"), logger, "flagging a message unroutable");
            InboundLog.Routed(logger, message.MessageId, new MaskedNumber(message.Number), "(not a Pool number)", message.HasCode);
            return null;
        }

        if (leaseId is not null)
        {
            await StoreFaults.GuardAsync(() => store.AttachLeaseAsync(message.MessageId, leaseId), logger, "attaching a message to its lease");
            var lease = await GrainFactory.GetGrain<ILeaseGrain>(leaseId).RecordMessageAsync(message.HasCode);
            if (lease.Status == LeaseStatus.Active)
            {
                await GrainFactory.GetGrain<ITenantInboxGrain>(lease.TenantId).AppendAsync(message.MessageId, leaseId);
                delivered = leaseId;
            }
        }

        if (delivered is null)
        {
            await StoreFaults.GuardAsync(() => store.MarkUnsolicitedAsync(message.MessageId), logger, "marking a message unsolicited");
        }

        InboundLog.Routed(logger, message.MessageId, new MaskedNumber(message.Number), delivered ?? "(none)", message.HasCode);
        return delivered;
    }
    /// <summary>
    /// The code and service of a text message. The extractor is built never to throw; if it ever does, the message is
    /// still stored (acknowledged means stored) without a code, and the failure is logged without the text.
    /// </summary>
    private OtpMatch? Extract(InboundMessage message)
    {
        try
        {
            return OtpExtractor.Extract(message.Text);
        }
#pragma warning disable CA1031 // Any extraction failure must not cost the message its storage.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            InboundLog.ExtractionFailed(logger, new Quoted(message.Carrier), ex.GetType().Name);
            return null;
        }
    }
}

internal static partial class InboundLog
{
    [LoggerMessage(EventId = 7009, Level = LogLevel.Error, Message = "Code extraction failed on a message from carrier {Carrier} ({ExceptionType}); the message is stored without a code")]
    public static partial void ExtractionFailed(ILogger logger, Quoted carrier, string exceptionType);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Message {MessageId} to {Number} routed to lease {LeaseId} (code found: {HasCode})")]
    public static partial void Routed(ILogger logger, string messageId, MaskedNumber number, string leaseId, bool hasCode);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Duplicate message {CarrierMessageId} from carrier {Carrier} dropped")]
    public static partial void Duplicate(ILogger logger, Quoted carrier, Quoted carrierMessageId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Message {MessageId} was stored but never routed; routing it now")]
    public static partial void Recovering(ILogger logger, string messageId);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Purged the text of {Count} messages past their retention")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Concatenated message {Key} to {Number} released incomplete: parts {Missing} of {Total} never arrived")]
    public static partial void ReleasedIncomplete(ILogger logger, string key, MaskedNumber number, IReadOnlyList<int> missing, int total);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Message {MessageId} from carrier {Carrier} stored with flags {Flags} {Problem}")]
    public static partial void Flagged(ILogger logger, string messageId, Quoted carrier, string flags, Quoted problem);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Error, Message = "The message store failed while {What}; the caller is told to retry")]
    public static partial void StoreFailed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Information, Message = "Concatenated message {Key}: part {Sequence} came again with other content while the message was open; released it incomplete and started a new one")]
    public static partial void ReferenceReused(ILogger logger, string key, int sequence);
}
