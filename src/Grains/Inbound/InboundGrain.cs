using Orleans.Concurrency;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Contracts.Tracing;
using Pool.Sms.Encoding;
using Pool.Sms.Logging;
using Pool.Sms.Numbers;
using Pool.Sms.Otp;

namespace Pool.Grains.Inbound;

/// <summary>
/// Takes an inbound SMS from a carrier: stores it and routes it through its number to the live lease and on
/// to the lease's tenant, and answers only once that is done (or has failed and can be retried).
///
/// The path of a new message, with the commits it waits for (three, where there were four):
/// <list type="number">
/// <item>read whether it was stored before (a duplicate is answered from the copy, and never counted again by
/// its number or its lease: a carrier retrying through an outage must not look like a flood);</item>
/// <item>ask its number (in memory) which lease holds it;</item>
/// <item>store it, already attached to that lease, in one INSERT (commit 1) — or, with no live lease or when
/// the recipient is not one of Pool's numbers, stored finished and flagged as such, in the same INSERT;</item>
/// <item>the lease counts it and decides whether it still takes it (its state write: commit 2);</item>
/// <item>the tenant's inbox gives it its cursor and queues its webhooks, in a batch with the other messages
/// appended meanwhile (commit 3, shared): that is when the stream sees it.</item>
/// </list>
/// Storing after the number answered is safe for durability because nothing is acknowledged before the
/// end: a crash before the INSERT leaves nothing, and the carrier, never answered, sends the message again.
/// The row is attached before the lease hears of it, so a client the lease wakes finds it. The lease write
/// and the inbox append stay in series: only the lease knows whether it is still live (its expiry moves
/// with extensions and slides that its number does not hear of), a message the inbox handed over cannot be
/// taken back from the stream and the webhooks, and an append committed beside a failed lease write would
/// mark the message routed, so the carrier's retry would be answered "duplicate" and the lease would never
/// count it (no CodeReceived).
///
/// What a crash (or a failed step) leaves, and who repairs it:
/// <list type="table">
/// <listheader><term>left behind</term><description>repaired by</description></listheader>
/// <item><term>nothing stored (before the INSERT committed; the number may have counted the message)</term>
/// <description>the carrier's retry: nothing was acknowledged.</description></item>
/// <item><term>stored unrouted, attached to the lease its number named, the lease not told</term>
/// <description>the carrier's retry (the read in step 1 finds the copy) or <see cref="InboundMaintenanceGrain"/>
/// after its grace: both route the copy straight to that lease, without asking the number again (it counted
/// the message once; and if the number has a new lease by now, that lease must not get an older message).</description></item>
/// <item><term>stored unrouted and attached, the lease told, the append failed or never ran</term>
/// <description>the same: the lease is told again (its count is at least once) and the append runs; a
/// message the inbox handed over already keeps its cursor.</description></item>
/// <item><term>stored unrouted and not attached (its number could not be asked, or a row from before
/// messages were stored attached)</term>
/// <description>the carrier's retry or the recovery job, from its number: attach, lease, append.</description></item>
/// <item><term>routed (appended, or finished without a tenant)</term>
/// <description>nothing to repair: a retry is answered "duplicate".</description></item>
/// </list>
/// </summary>
[StatelessWorker] // Messages are independent: any silo handles them locally, many at once.
[Reentrant] // No mutable state: a message spends its time awaiting the database and its number, and an SMSC's window of deliver_sm must not queue behind one.
public sealed class InboundGrain(MessageStore store, InboundTraces traces, ILogger<InboundGrain> logger) : Grain, IInboundGrain
{
    private const string NotPoolNumber = "the recipient is not one of Pool's numbers";

    public async Task<InboundResult> AcceptAsync(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message = Storable(message);
        // Codes are read only from text: a binary or undecodable body shown as hex holds no code.
        var otp = InboundFlags.IsText(message.Flags) ? Extract(message) : null;
        if (message.Has(InboundFlags.Unroutable))
        {
            // Unroutable: stored as routed and unsolicited; its number (maybe not E.164) activates no grain.
            return await StoreFinishedAsync(message, otp, RouteAtStore.NoLease);
        }

        if (await StoreFaults.GuardAsync(() => store.FindCopyAsync(message), logger, "looking for a stored copy of an inbound message") is { } copy)
        {
            return await AnswerCopyAsync(message, copy);
        }

        RouteAtStore route;
        try
        {
            var leaseId = await GrainFactory.GetGrain<INumberGrain>(message.Number).RecordMessageAsync(message.ReceivedAt);
            route = leaseId is null ? RouteAtStore.NoLease : RouteAtStore.ToLease(leaseId);
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.NotFound)
        {
            // A number, but not one of Pool's: kept flagged, and routing is finished (a retry would not change it).
            route = RouteAtStore.NotPoolNumber(NotPoolNumber);
        }
        catch (Exception)
        {
            // The number could not be asked (its silo is going, its state unreadable): the message is kept all the
            // same, unrouted, for the carrier's retry or the recovery job to route from its number; the carrier hears the failure.
            var kept = await StoreTracedAsync(message, otp, RouteAtStore.Later);
            if (kept.Inserted)
            {
                LogFlags(message, kept.MessageId);
            }

            throw;
        }

        if (route.LeaseId is not { } lease)
        {
            return await StoreFinishedAsync(message, otp, route);
        }

        var stored = await StoreTracedAsync(message, otp, route);
        if (!stored.Inserted)
        {
            return await AnswerCopyAsync(message, stored); // A copy arrived at the same moment and was stored first.
        }

        LogFlags(message, stored.MessageId);
        var delivered = await DeliverAsync(new UnroutedMessage(stored.MessageId, message.Number, message.ReceivedAt, otp?.Code is not null, lease));
        return Result(stored.MessageId, delivered is null ? InboundOutcome.Unsolicited : InboundOutcome.Delivered);
    }

    public async Task RouteStoredAsync(string messageId)
    {
        if (await StoreFaults.GuardAsync(() => store.FindUnroutedAsync(messageId), logger, "reading an unrouted message") is { } message)
        {
            InboundLog.Recovering(logger, messageId);
            await RouteAsync(message);
        }
    }

    public async Task<IReadOnlyList<StoredMessage>> ListForLeaseAsync(string leaseId) =>
        traces.Attach(await StoreFaults.GuardAsync(() => store.ListForLeaseAsync(leaseId), logger, "listing a lease's messages"));

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

    /// <summary>The INSERT of a message, as span <see cref="PoolActivity.InboundStore"/>.</summary>
    private async Task<StoredInbound> StoreTracedAsync(InboundMessage message, OtpMatch? otp, RouteAtStore route)
    {
        using var span = PoolActivity.Source.StartActivity(PoolActivity.InboundStore);
        var stored = await StoreFaults.GuardAsync(() => store.StoreAsync(message, otp, route), logger, "storing an inbound message");
        span?.SetTag(PoolActivity.MessageIdTag, stored.MessageId).SetTag(PoolActivity.OutcomeTag, stored.Inserted ? "stored" : "copy");
        return stored;
    }

    /// <summary>Stores a message whose routing is finished before it is stored (no live lease, or no number of Pool's).</summary>
    private async Task<InboundResult> StoreFinishedAsync(InboundMessage message, OtpMatch? otp, RouteAtStore route)
    {
        var stored = await StoreTracedAsync(message, otp, route);
        if (!stored.Inserted)
        {
            return await AnswerCopyAsync(message, stored);
        }

        LogFlags(message, stored.MessageId);
        if (!message.Has(InboundFlags.Unroutable))
        {
            InboundLog.Routed(logger, stored.MessageId, new MaskedNumber(message.Number), route.Unroutable is null ? "(none)" : "(not a Pool number)", otp?.Code is not null);
        }

        return Result(stored.MessageId, InboundOutcome.Unsolicited);
    }

    /// <summary>
    /// The answer to a message stored before: a duplicate when that copy is routed; otherwise the copy is routed
    /// now (an earlier attempt stored it and did not finish), as the recovery job would.
    /// </summary>
    private async Task<InboundResult> AnswerCopyAsync(InboundMessage message, StoredInbound copy)
    {
        if (copy.Routed)
        {
            InboundLog.Duplicate(logger, new Quoted(message.Carrier), new Quoted(message.CarrierMessageId));
            return Result(copy.MessageId, InboundOutcome.Duplicate);
        }

        var unrouted = await StoreFaults.GuardAsync(() => store.FindUnroutedAsync(copy.MessageId), logger, "reading an unrouted message");
        var delivered = unrouted is null ? null : await RouteAsync(unrouted);
        // Routed meanwhile by someone else (the recovery job, another retry): this attempt changed nothing.
        return Result(copy.MessageId, unrouted is null ? InboundOutcome.Duplicate : delivered is null ? InboundOutcome.Unsolicited : InboundOutcome.Delivered);
    }

    /// <summary>
    /// Routes a stored, unrouted message: straight to the lease it was stored attached to, or, when it was stored
    /// before its number answered, through its number first. Returns the lease it was delivered to, or null (unsolicited).
    /// </summary>
    private async Task<string?> RouteAsync(UnroutedMessage message)
    {
        if (message.LeaseId is not null)
        {
            return await DeliverAsync(message);
        }

        string? leaseId;
        try
        {
            leaseId = await GrainFactory.GetGrain<INumberGrain>(message.Number).RecordMessageAsync(message.ReceivedAt);
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.NotFound)
        {
            // A number, but not one of Pool's: kept flagged, and routing is finished (a retry would not change it).
            await StoreFaults.GuardAsync(() => store.MarkUnroutableAsync(message.MessageId, NotPoolNumber), logger, "flagging a message unroutable");
            InboundLog.Routed(logger, message.MessageId, new MaskedNumber(message.Number), "(not a Pool number)", message.HasCode);
            return null;
        }

        if (leaseId is null)
        {
            await StoreFaults.GuardAsync(() => store.MarkUnsolicitedAsync(message.MessageId), logger, "marking a message unsolicited");
            InboundLog.Routed(logger, message.MessageId, new MaskedNumber(message.Number), "(none)", message.HasCode);
            return null;
        }

        // Attached before the lease hears of it, so a client woken by the lease finds it.
        await StoreFaults.GuardAsync(() => store.AttachLeaseAsync(message.MessageId, leaseId), logger, "attaching a message to its lease");
        return await DeliverAsync(message with { LeaseId = leaseId });
    }

    /// <summary>
    /// Tells the lease a message stored attached to it has arrived, then, if the lease is still live, hands the
    /// message to the lease's tenant; otherwise marks it unsolicited. Returns the lease it was delivered to, or null.
    /// </summary>
    private async Task<string?> DeliverAsync(UnroutedMessage message)
    {
        var leaseId = message.LeaseId!;
        using var span = PoolActivity.Source.StartActivity(PoolActivity.InboundRoute);
        span?.SetTag(PoolActivity.MessageIdTag, message.MessageId).SetTag(PoolActivity.LeaseIdTag, leaseId);
        string? delivered = null;
        LeaseInfo? lease;
        try
        {
            lease = await GrainFactory.GetGrain<ILeaseGrain>(leaseId).RecordMessageAsync(message.HasCode);
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.NotFound)
        {
            // The number named a lease that never recorded holding it (its opening failed after the grant; the number
            // learns it when it checks on its lease): no tenant takes the message, and a retry would not change that.
            lease = null;
        }

        if (lease is { Status: LeaseStatus.Active })
        {
            await GrainFactory.GetGrain<ITenantInboxGrain>(lease.TenantId).AppendAsync(message.MessageId, leaseId);
            delivered = leaseId;
        }
        else
        {
            await StoreFaults.GuardAsync(() => store.MarkUnsolicitedAsync(message.MessageId), logger, "marking a message unsolicited");
        }

        InboundLog.Routed(logger, message.MessageId, new MaskedNumber(message.Number), delivered ?? "(none)", message.HasCode);
        span?.SetTag(PoolActivity.OutcomeTag, delivered is null ? "unsolicited" : "delivered");
        return delivered;
    }

    private void LogFlags(InboundMessage message, string messageId)
    {
        if (message.Flags.Count > 0)
        {
            InboundLog.Flagged(logger, messageId, new Quoted(message.Carrier), string.Join(',', message.Flags), new Quoted(message.Raw?.Problem ?? "", 200));
        }
    }

    private static InboundResult Result(string messageId, InboundOutcome outcome)
    {
        InboundMetrics.Message(outcome);
        return new InboundResult(messageId, outcome);
    }

    /// <summary>
    /// The code and service of a text message. The extractor is built never to throw; if it ever does, the message is
    /// still stored (acknowledged means stored) without a code, and the failure is logged without the text.
    /// </summary>
    private OtpMatch? Extract(InboundMessage message)
    {
        try
        {
            var match = OtpExtractor.Extract(message.Text);
            InboundMetrics.Extraction(match is not null);
            return match;
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
