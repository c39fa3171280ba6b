using Pool.Contracts.Allocation;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Grains.Audit;
using Pool.Grains.Inventory;
using Pool.Grains.Leases;
using Pool.Grains.Persistence;
using Pool.Sms.Numbers;

namespace Pool.Grains.Numbers;

/// <summary>
/// The life of one virtual number: leases, cooldown, rotation, reuse rules and the watchlist. A number
/// that has never been leased has no state row: its pool comes from the inventory on activation, so
/// provisioning a million numbers writes no grain state. Every transition is persisted before it is
/// acknowledged; cooldowns and quarantines end by the clock (no write), and the number is handed back
/// to its allocation shard ready from that moment.
///
/// A leased number does not take its lease's word for granted: a lease whose opening failed after the
/// number was granted, or whose record is gone, or that is overdue and not ending, would otherwise keep
/// the number forever. So a leased number asks its lease whether it still holds it (one-way; the lease
/// answers by <see cref="LeaseAnsweredAsync"/>) when it activates, <see cref="LeaseCheckGrace"/> after
/// the lease's deadline (then every <see cref="LeaseRecheck"/> while still held) and whenever the expiry
/// sweep finds the number and its lease disagreeing in the projections; a lease that does not hold it
/// frees it. The number also remembers how its last leases ended, for a lease that lost its own record.
/// </summary>
public sealed class NumberGrain(
    [PersistentState("number", PoolStorage.Name)] IPersistentState<NumberState> state,
    NumberInventory inventory,
    PoolCatalog catalog,
    ProjectionJournal journal,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<NumberGrain> logger) : Grain, INumberGrain, INumberHolding
{
    /// <summary>How long after its lease's deadline a leased number asks the lease (it should have ended by itself).</summary>
    public static readonly TimeSpan LeaseCheckGrace = TimeSpan.FromSeconds(2);

    /// <summary>How often a number held past its lease's deadline asks again.</summary>
    public static readonly TimeSpan LeaseRecheck = TimeSpan.FromSeconds(30);

    private readonly Queue<DateTimeOffset> _recentMessages = new();
    private bool _provisioned;
    private IGrainTimer? _leaseCheck;

    private string Number => this.GetPrimaryKeyString();

    private NumberState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadProvisioningAsync(cancellationToken);
        if (S is { Status: NumberStatus.Leased, Lease: { } lease })
        {
            // A new activation (after a crash, a failed write, a restart) asks its lease at once.
            await AskLeaseAsync(lease.LeaseId);
            ArmLeaseCheck(lease);
        }
    }

    /// <summary>
    /// Learns the number's pool from the inventory when it has no state row yet. A number that is not
    /// (yet) in the inventory looks again on every call, so adding it later takes effect at once.
    /// </summary>
    private async Task LoadProvisioningAsync(CancellationToken cancellationToken = default)
    {
        if (_provisioned)
        {
            return;
        }

        if (state.RecordExists)
        {
            _provisioned = true;
            return;
        }

        var record = await inventory.FindNumberAsync(Number, cancellationToken);
        if (record is not null)
        {
            S.PoolId = record.PoolId;
            S.Country = record.Country;
            S.Status = NumberStatus.Available;
            _provisioned = true;
        }
    }

    public async Task<NumberInfo> GetAsync()
    {
        await LoadProvisioningAsync();
        return Snapshot();
    }

    public async Task<LeaseGrant> TryLeaseAsync(LeaseTerms terms)
    {
        await LoadProvisioningAsync();
        if (!_provisioned || S.PoolId != terms.PoolId)
        {
            return LeaseGrant.No(LeaseRefusal.NotInPool);
        }

        var now = time.GetUtcNow();
        if (S.Status == NumberStatus.Leased)
        {
            if (S.Lease?.LeaseId == terms.LeaseId)
            {
                return LeaseGrant.Yes;
            }

            await ExpireOverdueLeaseAsync();
            return LeaseGrant.No(LeaseRefusal.NotAvailable);
        }

        if (EffectiveStatus(now) != NumberStatus.Available)
        {
            return LeaseGrant.No(LeaseRefusal.NotAvailable);
        }

        var policy = (await catalog.GetAsync(S.PoolId)).Policy;
        if (S.Served.TryGetValue(terms.Service, out var served) && (policy.ReuseWindow is not { } window || now - served < window))
        {
            return LeaseGrant.No(LeaseRefusal.ServiceUsed);
        }

        S.Status = NumberStatus.Leased;
        S.Lease = terms;
        S.Until = null;
        S.Reason = null;
        S.Uses++;
        S.Served[terms.Service] = now;
        await PersistAsync(now);
        ArmLeaseCheck(terms);
        NumberLog.Leased(logger, new MaskedNumber(Number), terms.LeaseId, S.PoolId);
        return LeaseGrant.Yes;
    }

    public async Task<DateTimeOffset?> EndLeaseAsync(string leaseId, LeaseOutcome outcome, int messages)
    {
        if (S.Status != NumberStatus.Leased || S.Lease?.LeaseId != leaseId)
        {
            return S.RecentEnds.LastOrDefault(end => end.LeaseId == leaseId)?.EndedAt;
        }

        var now = time.GetUtcNow();
        var policy = (await catalog.GetAsync(S.PoolId)).Policy;
        S.Lease = null;
        S.LastLeaseEndedAt = now;
        S.LastOutcome = outcome;
        S.RecentEnds.Add(new EndedLease(leaseId, outcome, now));
        if (S.RecentEnds.Count > NumberState.RecentEndsKept)
        {
            S.RecentEnds.RemoveRange(0, S.RecentEnds.Count - NumberState.RecentEndsKept);
        }

        S.BadNumberReports += outcome == LeaseOutcome.BadNumber ? 1 : 0;
        S.SilentLeases = messages == 0 && outcome is LeaseOutcome.Cancelled or LeaseOutcome.Expired ? S.SilentLeases + 1 : 0;

        if (S.Uses >= policy.MaxUses)
        {
            Retire($"rotated after {S.Uses} uses");
        }
        else if (S.PendingOffence is { } pending)
        {
            S.PendingOffence = null;
            Offend(pending, policy, now);
        }
        else if (S.BadNumberReports >= policy.BadNumberLimit)
        {
            Offend($"reported as bad_number by clients {S.BadNumberReports} times", policy, now);
        }
        else if (S.SilentLeases >= policy.SilentLeaseLimit)
        {
            Offend($"the last {S.SilentLeases} leases received no SMS", policy, now);
        }
        else
        {
            S.Status = policy.Cooldown > TimeSpan.Zero ? NumberStatus.Cooling : NumberStatus.Available;
            S.Until = policy.Cooldown > TimeSpan.Zero ? now + policy.Cooldown : null;
        }

        await PersistAsync(now);
        _leaseCheck?.Dispose();
        _leaseCheck = null;
        NumberLog.LeaseEnded(logger, new MaskedNumber(Number), leaseId, outcome, S.Status);
        await ReturnToShardAsync();
        return now;
    }

    public async Task<NumberInfo> WatchlistAsync(string reason, DateTimeOffset? until)
    {
        await LoadProvisioningAsync();
        var now = time.GetUtcNow();
        RequireProvisioned();
        RefuseWhileLeasedOrRetired("watchlisted");
        var policy = (await catalog.GetAsync(S.PoolId)).Policy;
        var before = Fields(now);
        S.Status = NumberStatus.Watchlisted;
        S.Reason = $"operator: {reason}";
        S.Until = until ?? now + policy.Quarantine;
        await PersistAsync(now, Audit("number.watchlist", before, Fields(now)));
        NumberLog.Watchlisted(logger, new MaskedNumber(Number), Pool.Sms.Logging.LogRedaction.MaskNumbers(S.Reason), S.Until);
        await ReturnToShardAsync();
        return Snapshot();
    }

    public async Task<NumberInfo> ReinstateAsync()
    {
        await LoadProvisioningAsync();
        var now = time.GetUtcNow();
        RequireProvisioned();
        var status = EffectiveStatus(now);
        if (status != NumberStatus.Watchlisted)
        {
            throw new PoolException(PoolErrorCode.FailedPrecondition, $"number {new MaskedNumber(Number)} is {Describe(status)}, not watchlisted");
        }

        var before = Fields(now);
        S.Status = NumberStatus.Available;
        S.Until = null;
        S.Reason = null;
        S.SilentLeases = 0;
        S.BadNumberReports = 0;
        await PersistAsync(now, Audit("number.reinstate", before, Fields(now)));
        NumberLog.Reinstated(logger, new MaskedNumber(Number));
        await ReturnToShardAsync();
        return Snapshot();
    }

    public async Task<NumberInfo> RetireAsync(string reason)
    {
        await LoadProvisioningAsync();
        var now = time.GetUtcNow();
        RequireProvisioned();
        RefuseWhileLeasedOrRetired("retired");
        var before = Fields(now);
        Retire($"operator: {reason}");
        await PersistAsync(now, Audit("number.retire", before, Fields(now)));
        return Snapshot();
    }

    public async Task<NumberInfo> MoveAsync(string poolId)
    {
        await LoadProvisioningAsync();
        var now = time.GetUtcNow();
        RequireProvisioned();
        if (S.PoolId == poolId)
        {
            // Also the retry of a move whose inventory update failed: finish it.
            await inventory.MoveNumberAsync(Number, poolId);
            return Snapshot();
        }

        RefuseWhileLeasedOrRetired("moved");
        var target = await catalog.GetAsync(poolId);
        if (target.Country != S.Country)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"pool '{poolId}' holds numbers of {target.Country}, not {S.Country}", "pool");
        }

        var from = S.PoolId;
        S.PoolId = poolId;
        await PersistAsync(now, Audit("number.move", AuditRows.Json(new { pool = from }), AuditRows.Json(new { pool = poolId })));
        await inventory.MoveNumberAsync(Number, poolId);
        NumberLog.Moved(logger, new MaskedNumber(Number), from, poolId);
        await ReturnToShardAsync();
        return Snapshot();
    }

    public async Task<string?> RecordMessageAsync(DateTimeOffset receivedAt)
    {
        await LoadProvisioningAsync();
        RequireProvisioned();
        var policy = (await catalog.GetAsync(S.PoolId)).Policy;
        _recentMessages.Enqueue(receivedAt);
        while (_recentMessages.TryPeek(out var oldest) && oldest <= receivedAt - TimeSpan.FromHours(1))
        {
            _recentMessages.Dequeue();
        }

        var leaseId = S.Status == NumberStatus.Leased ? S.Lease?.LeaseId : null;
        if (_recentMessages.Count < policy.FloodMessagesPerHour || S.Status is NumberStatus.Watchlisted or NumberStatus.Retired || S.PendingOffence is not null)
        {
            return leaseId;
        }

        var reason = $"flood: {_recentMessages.Count} messages within an hour";
        _recentMessages.Clear();
        var now = time.GetUtcNow();
        if (S.Status == NumberStatus.Leased)
        {
            S.PendingOffence = reason;
        }
        else
        {
            Offend(reason, policy, now);
        }

        await PersistAsync(now);
        await ReturnToShardAsync();
        return leaseId;
    }

    public Task ExpireOverdueLeaseAsync()
    {
        // The lease ends itself if it is overdue and then answers whether it still holds the number.
        return S is { Status: NumberStatus.Leased, Lease: { } lease } && lease.ExpiresAt <= time.GetUtcNow()
            ? AskLeaseAsync(lease.LeaseId)
            : Task.CompletedTask;
    }

    public Task<LeaseEnd> EndOfAsync(string leaseId) => Task.FromResult(
        S is { Status: NumberStatus.Leased, Lease: { } lease } && lease.LeaseId == leaseId
            ? new LeaseEnd(Holds: true, Ended: null)
            : new LeaseEnd(Holds: false, S.RecentEnds.LastOrDefault(e => e.LeaseId == leaseId)));

    public async Task LeaseAnsweredAsync(string leaseId, LeaseHold hold)
    {
        if (hold.Holds || S.Status != NumberStatus.Leased || S.Lease?.LeaseId != leaseId)
        {
            return;
        }

        // The lease ended without freeing the number (its call here was lost), or never recorded holding it
        // (its opening failed after the grant): counted as a lease that received its SMS, not a silent one.
        var ended = hold.Outcome != LeaseOutcome.None;
        NumberLog.FreedByLease(logger, new MaskedNumber(Number), leaseId, ended ? hold.Outcome : null);
        await EndLeaseAsync(leaseId, ended ? hold.Outcome : LeaseOutcome.Cancelled, ended ? hold.Messages : 1);
    }

    public Task CheckLeaseAsync() =>
        S is { Status: NumberStatus.Leased, Lease: { } lease } ? AskLeaseAsync(lease.LeaseId) : Task.CompletedTask;

    /// <summary>One-way: the lease may be calling this number right now, so the number never waits for it.</summary>
    private Task AskLeaseAsync(string leaseId) => GrainFactory.GetGrain<ILeaseHolding>(leaseId).CheckHoldAsync(Number);

    /// <summary>Asks the lease again shortly after its deadline (activation-scoped: the expiry sweep covers a number that is not active).</summary>
    private void ArmLeaseCheck(LeaseTerms lease)
    {
        _leaseCheck?.Dispose();
        var due = lease.ExpiresAt + LeaseCheckGrace - time.GetUtcNow();
        _leaseCheck = this.RegisterGrainTimer(
            _ => S is { Status: NumberStatus.Leased, Lease: { } held } && held.LeaseId == lease.LeaseId ? AskLeaseAsync(held.LeaseId) : Task.CompletedTask,
            new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, LeaseRecheck) { KeepAlive = false });
    }

    /// <summary>A cooldown or quarantine that has run out makes the number available, without a write.</summary>
    private NumberStatus EffectiveStatus(DateTimeOffset now) =>
        S.Status is NumberStatus.Cooling or NumberStatus.Watchlisted && S.Until is { } until && until <= now
            ? NumberStatus.Available
            : S.Status;

    private void Offend(string reason, PoolPolicy policy, DateTimeOffset now)
    {
        S.Offences++;
        S.SilentLeases = 0;
        S.BadNumberReports = 0;
        if (S.Offences >= policy.MaxOffences)
        {
            Retire($"watchlisted {S.Offences} times; last: {reason}");
            return;
        }

        S.Status = NumberStatus.Watchlisted;
        S.Reason = reason;
        S.Until = now + policy.Quarantine;
        NumberLog.Watchlisted(logger, new MaskedNumber(Number), Pool.Sms.Logging.LogRedaction.MaskNumbers(reason), S.Until);
    }

    private void Retire(string reason)
    {
        S.Status = NumberStatus.Retired;
        S.Reason = reason;
        S.Until = null;
        NumberLog.Retired(logger, new MaskedNumber(Number), Pool.Sms.Logging.LogRedaction.MaskNumbers(reason));
    }

    private void RequireProvisioned()
    {
        if (!_provisioned)
        {
            throw new PoolException(PoolErrorCode.NotFound, $"number {new MaskedNumber(Number)} is not in any pool", "number");
        }
    }

    private void RefuseWhileLeasedOrRetired(string action)
    {
        if (S.Status == NumberStatus.Leased)
        {
            throw new PoolException(PoolErrorCode.FailedPrecondition, $"number {new MaskedNumber(Number)} is leased by {S.Lease?.LeaseId} until {S.Lease?.ExpiresAt:u}; it can be {action} once the lease ends");
        }

        if (S.Status == NumberStatus.Retired)
        {
            throw new PoolException(PoolErrorCode.FailedPrecondition, $"number {new MaskedNumber(Number)} is retired ({S.Reason}); retirement is final");
        }
    }

    private NumberInfo Snapshot()
    {
        RequireProvisioned();
        var status = EffectiveStatus(time.GetUtcNow());
        return new NumberInfo(Number, S.PoolId, S.Country, status, S.Lease?.LeaseId, S.Uses)
        {
            Until = status is NumberStatus.Cooling or NumberStatus.Watchlisted ? S.Until : null,
            Reason = status is NumberStatus.Watchlisted or NumberStatus.Retired ? S.Reason : null,
            Offences = S.Offences,
            ServedServices = new Dictionary<string, DateTimeOffset>(S.Served, StringComparer.Ordinal),
        };
    }

    private async Task PersistAsync(DateTimeOffset now, params IReadOnlyList<AuditRecord> audit)
    {
        S.Revision++;
        await state.WriteOrDeactivateAsync(this, logger, audit);
        journal.Number(S.ToProjection(Number, now));
    }

    /// <summary>Hands the number back to its shard when it can serve again (now, or when its cooldown or quarantine ends).</summary>
    private Task ReturnToShardAsync()
    {
        if (S.Status is NumberStatus.Leased or NumberStatus.Retired || (S.Status == NumberStatus.Watchlisted && S.Until is null))
        {
            return Task.CompletedTask;
        }

        var shard = GrainFactory.GetGrain<IAllocationShardGrain>(AllocationShards.KeyOf(S.PoolId, AllocationShards.ShardOf(Number)));
        return shard.ReturnAsync([Number], S.Until);
    }

    /// <summary>An operator's change of this number as an audit row (target and fields hold the number masked).</summary>
    private AuditRecord Audit(string action, string? before, string? after) =>
        new(AuditActor.Current, action, $"number/{E164.Mask(Number)}", before, after);

    /// <summary>The fields an operator changes, as audit JSON.</summary>
    private string? Fields(DateTimeOffset now) =>
        AuditRows.Json(new { status = Describe(EffectiveStatus(now)), reason = S.Reason, until = S.Until, pool = S.PoolId });

    private static string Describe(NumberStatus status) => StatusNames.Of(status);
}

internal static partial class NumberLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Number {Number} leased to {LeaseId} in pool {PoolId}")]
    public static partial void Leased(ILogger logger, MaskedNumber number, string leaseId, string poolId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Number {Number} released by {LeaseId} ({Outcome}); now {Status}")]
    public static partial void LeaseEnded(ILogger logger, MaskedNumber number, string leaseId, LeaseOutcome outcome, NumberStatus status);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Number {Number} watchlisted until {Until}: {Reason}")]
    public static partial void Watchlisted(ILogger logger, MaskedNumber number, string reason, DateTimeOffset? until);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Number {Number} reinstated")]
    public static partial void Reinstated(ILogger logger, MaskedNumber number);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Number {Number} retired: {Reason}")]
    public static partial void Retired(ILogger logger, MaskedNumber number, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Number {Number} moved from pool {From} to pool {To}")]
    public static partial void Moved(ILogger logger, MaskedNumber number, string from, string to);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Number {Number} was held by lease {LeaseId}, which does not hold it (ended: {Outcome}); freeing it")]
    public static partial void FreedByLease(ILogger logger, MaskedNumber number, string leaseId, LeaseOutcome? outcome);
}
