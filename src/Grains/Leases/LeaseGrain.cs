using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Contracts.Tenants;
using Pool.Grains.Allocation;
using Pool.Grains.Inventory;
using Pool.Grains.Persistence;
using Pool.Sms.Numbers;

namespace Pool.Grains.Leases;

/// <summary>
/// One lease: allocation on open, the record the tenant reads, extension, and the end that hands the
/// number back. Expiry runs inside the cluster: a grain timer fires at the deadline while the grain is
/// active (sub-second precision; the timer keeps the grain alive until then), and the pool's expiry
/// sweep (a durable reminder) expires the lease even if the silo that held it died. Non-reentrant on purpose:
/// a retry of an open waits for the first to finish and then gets its answer.
///
/// Expiry is exact while the grain lives: the timer re-arms itself when it fires before the deadline
/// and retries every <see cref="ExpiryRetry"/> when ending fails, and every call on an overdue lease
/// ends it first, so nothing reads or extends a lease past its deadline as active.
///
/// The number is the arbiter and ends first; the lease records its end after. When that second write
/// is lost (the silo died, PostgreSQL stopped), the lease's record and its number disagree until the
/// lease asks its number: on the first call of every activation and when the expiry sweep finds the
/// disagreement in the projections. The number remembers how its recent leases ended, so the lease
/// records the end its number made, with no extra write on the way of a release.
///
/// Every lease is a new grain, so ended leases must not stay in memory for Orleans' default 15 idle
/// minutes (at a few hundred leases a second that is hundreds of thousands of activations): an ended
/// lease is collected after <see cref="IdleAge"/> idle; an active one is kept alive by its expiry timer.
/// </summary>
[CollectionAgeLimit(Minutes = IdleAgeMinutes)]
public sealed class LeaseGrain(
    [PersistentState("lease", PoolStorage.Name)] IPersistentState<LeaseState> state,
    PoolCatalog catalog,
    ProjectionJournal journal,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<LeaseGrain> logger) : Grain, ILeaseGrain, ILeaseHolding
{
    public static readonly TimeSpan ExpiryRetry = TimeSpan.FromSeconds(1);

    /// <summary>Idle minutes after which an ended lease's activation is collected (reading it again costs one state read).</summary>
    public const int IdleAgeMinutes = 2;

    public static readonly TimeSpan IdleAge = TimeSpan.FromMinutes(IdleAgeMinutes);

    private IGrainTimer? _expiryTimer;

    /// <summary>Whether this activation has checked its record against its number (or opened the lease itself).</summary>
    private bool _agreed;

    /// <summary>Completed (and replaced) whenever a message arrives or the lease ends; message streams wait on it.</summary>
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string LeaseId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A new activation (after a deactivation or a crash) catches up from the persisted deadline.
        if (state.State.Lease is { Status: LeaseStatus.Active } lease)
        {
            ArmTimer(lease.ExpiresAt);
        }

        return Task.CompletedTask;
    }

    public async Task<LeaseInfo> OpenAsync(LeaseRequest request, CancellationToken cancellationToken = default)
    {
        await AgreeWithNumberAsync();
        if (state.State.Lease is { } existing)
        {
            return state.State.Request is { } first && first.SameAs(request)
                ? existing
                : throw new PoolException(PoolErrorCode.Conflict, "this idempotency key was already used for a different lease request", "idempotency_key");
        }

        var tenant = GrainFactory.GetGrain<ITenantGrain>(request.TenantId);
        await tenant.AdmitLeaseAsync(LeaseId);
        try
        {
            return await AllocateAndOpenAsync(request, cancellationToken);
        }
        catch
        {
            await tenant.WithdrawAsync(LeaseId);
            throw;
        }
    }

    private async Task<LeaseInfo> AllocateAndOpenAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        var pools = await catalog.ResolveAsync(request.Country, request.PoolId, cancellationToken);
        if (pools.Count == 0)
        {
            throw new PoolException(PoolErrorCode.Exhausted, $"no pool holds numbers of {request.Country}");
        }

        var usable = pools.Where(p => (request.Ttl ?? p.Policy.DefaultTtl) <= p.Policy.MaxLeaseTime).ToList();
        if (usable.Count == 0)
        {
            var max = pools.Max(p => p.Policy.MaxLeaseTime);
            throw new PoolException(PoolErrorCode.InvalidArgument, $"{request.Ttl} is longer than the pools of {request.Country} allow (at most {max})", "ttl");
        }

        var now = time.GetUtcNow();
        var allocator = new NumberAllocator(GrainFactory);
        var explanations = new List<string>();
        foreach (var pool in usable)
        {
            var terms = new LeaseTerms(LeaseId, request.TenantId, pool.PoolId, request.Service, now + (request.Ttl ?? pool.Policy.DefaultTtl));
            var allocation = await allocator.AllocateAsync(terms, request.ExcludePrefixes, cancellationToken);
            if (allocation.Number is not { } number)
            {
                explanations.Add($"pool '{pool.PoolId}': {allocation.Explain(request.Service)}");
                continue;
            }

            return await OpenOnAsync(request, pool, number, terms, now);
        }

        throw new PoolException(PoolErrorCode.Exhausted, $"no number available for '{request.Service}' in {request.Country}: {string.Join("; ", explanations)}");
    }

    public async Task<LeaseInfo> GetAsync(string tenantId)
    {
        OwnedBy(tenantId);
        try
        {
            await ExpireIfDueAsync();
        }
        catch (PoolException)
        {
            // Ending failed (the store is away): answer with the record as it stands; the timer retries.
        }

        return OwnedBy(tenantId);
    }

    public async Task<LeaseInfo> ReleaseAsync(string tenantId, LeaseOutcome outcome)
    {
        OwnedBy(tenantId);
        await ExpireIfDueAsync();
        var lease = OwnedBy(tenantId);
        if (outcome is LeaseOutcome.None or LeaseOutcome.Expired)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "a release needs an outcome: completed, cancelled or bad_number", "outcome");
        }

        if (lease.Status == LeaseStatus.Ended)
        {
            return lease.Outcome == outcome
                ? lease
                : throw new PoolException(PoolErrorCode.FailedPrecondition, $"lease {LeaseId} already ended ({LeaseOutcomes.Name(lease.Outcome)})");
        }

        return await EndAsync(outcome);
    }

    public async Task<LeaseInfo> ExtendAsync(string tenantId, TimeSpan by)
    {
        OwnedBy(tenantId);
        await ExpireIfDueAsync();
        var lease = OwnedBy(tenantId);
        if (lease.Status == LeaseStatus.Ended)
        {
            throw new PoolException(PoolErrorCode.FailedPrecondition, $"lease {LeaseId} already ended ({LeaseOutcomes.Name(lease.Outcome)}); it cannot be extended");
        }

        var pool = await catalog.GetAsync(lease.PoolId);
        var limit = lease.CreatedAt + pool.Policy.MaxLeaseTime;
        if (lease.ExpiresAt >= limit)
        {
            throw new PoolException(PoolErrorCode.FailedPrecondition, $"lease {LeaseId} already lasts the maximum of pool '{lease.PoolId}' ({pool.Policy.MaxLeaseTime})");
        }

        var extended = lease with { ExpiresAt = Min(lease.ExpiresAt + by, limit) };
        await PersistAsync(extended);
        ArmTimer(extended.ExpiresAt);
        LeaseLog.Extended(logger, LeaseId, extended.ExpiresAt);
        return extended;
    }

    public async Task<LeaseInfo> RequestAnotherSmsAsync(string tenantId)
    {
        OwnedBy(tenantId);
        await ExpireIfDueAsync();
        var lease = OwnedBy(tenantId);
        if (lease.Status == LeaseStatus.Ended)
        {
            throw new PoolException(PoolErrorCode.FailedPrecondition, $"lease {LeaseId} already ended ({LeaseOutcomes.Name(lease.Outcome)})");
        }

        if (lease.Session != SessionState.CodeReceived)
        {
            throw new PoolException(PoolErrorCode.FailedPrecondition, $"lease {LeaseId} is still waiting for its first code; another SMS can be asked for once one arrived");
        }

        var waiting = lease with { Session = SessionState.Waiting };
        await PersistAsync(waiting);
        return waiting;
    }

    public async Task<(int Messages, bool Active)> WaitForMessageAsync(string tenantId, int knownMessages, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var lease = OwnedBy(tenantId);
        if (state.State.Messages <= knownMessages && lease.Status == LeaseStatus.Active)
        {
            try
            {
                await _changed.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Nothing new: the stream asks again.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The stream went away: stop waiting (the answer goes nowhere).
            }
        }

        return (state.State.Messages, state.State.Lease!.Status == LeaseStatus.Active);
    }

    public Task NudgeExpiryAsync() => ExpireIfDueAsync();

    public async Task ExpireIfDueAsync()
    {
        await AgreeWithNumberAsync();
        if (state.State.Lease is { Status: LeaseStatus.Active } lease && lease.ExpiresAt <= time.GetUtcNow())
        {
            await EndAsync(LeaseOutcome.Expired);
        }
    }

    public async Task CheckHoldAsync(string number)
    {
        try
        {
            await ExpireIfDueAsync();
        }
        catch (PoolException)
        {
            // Could not end now: the lease still holds the number, and says so; the number asks again later.
        }

        var hold = state.State.Lease is { } lease && lease.Number == number
            ? new LeaseHold(lease.Status == LeaseStatus.Active, lease.Status == LeaseStatus.Ended ? lease.Outcome : LeaseOutcome.None, state.State.Messages)
            : new LeaseHold(Holds: false, LeaseOutcome.None, 0);
        await GrainFactory.GetGrain<Numbers.INumberHolding>(number).LeaseAnsweredAsync(LeaseId, hold);
    }

    public Task ReconcileAsync()
    {
        // Asked because the projections disagree: check again even if this activation already did.
        _agreed = false;
        return AgreeWithNumberAsync();
    }

    /// <summary>
    /// Once per activation, an active lease asks its number whether it still holds it; when the number
    /// ended it (a release or expiry whose second write was lost), the lease records that end.
    /// </summary>
    private async Task AgreeWithNumberAsync()
    {
        if (_agreed)
        {
            return;
        }

        if (state.State.Lease is not { Status: LeaseStatus.Active } lease)
        {
            _agreed = true;
            return;
        }

        var end = await GrainFactory.GetGrain<Numbers.INumberHolding>(lease.Number).EndOfAsync(LeaseId);
        if (!end.Holds)
        {
            // A number that no longer remembers the lease ended it long ago: recorded as cancelled, now.
            var outcome = end.Ended?.Outcome ?? LeaseOutcome.Cancelled;
            LeaseLog.EndFoundAtNumber(logger, LeaseId, new MaskedNumber(lease.Number), outcome, end.Ended is not null);
            await RecordEndAsync(lease, outcome, end.Ended?.EndedAt ?? time.GetUtcNow());
        }

        _agreed = true;
    }

    public async Task<LeaseInfo> RecordMessageAsync(bool hasCode)
    {
        await ExpireIfDueAsync();
        if (state.State.Lease is not { Status: LeaseStatus.Active } lease)
        {
            return state.State.Lease ?? throw new PoolException(PoolErrorCode.NotFound, $"lease {LeaseId} not found", "lease_id");
        }

        state.State.Messages++;
        var policy = (await catalog.GetAsync(lease.PoolId)).Policy;
        var slid = hasCode ? lease with { Session = SessionState.CodeReceived } : lease;
        if (policy.SlideOnMessage)
        {
            var wanted = Min(time.GetUtcNow() + policy.DefaultTtl, lease.CreatedAt + policy.MaxLeaseTime);
            slid = wanted > lease.ExpiresAt ? slid with { ExpiresAt = wanted } : slid;
        }

        await PersistAsync(slid);
        SignalChange();
        if (slid.ExpiresAt != lease.ExpiresAt)
        {
            ArmTimer(slid.ExpiresAt);
        }

        return slid;
    }

    private async Task<LeaseInfo> OpenOnAsync(LeaseRequest request, PoolInfo pool, string number, LeaseTerms terms, DateTimeOffset now)
    {
        state.State.Request = request;
        var lease = new LeaseInfo(
            LeaseId, request.TenantId, pool.PoolId, pool.Country, number, request.Service,
            now, terms.ExpiresAt, LeaseStatus.Active, LeaseOutcome.None, EndedAt: null);
        try
        {
            await PersistAsync(lease);
        }
        catch (PoolException)
        {
            state.State.Request = null;
            state.State.Lease = null;
            // Not the number's fault: counted as a lease that received its SMS, so it is not a silent one.
            await GrainFactory.GetGrain<INumberGrain>(number).EndLeaseAsync(LeaseId, LeaseOutcome.Cancelled, messages: 1);
            throw;
        }

        _agreed = true;
        ArmTimer(lease.ExpiresAt);
        LeaseLog.Opened(logger, LeaseId, new MaskedNumber(number), pool.PoolId, request.Service);
        LeaseMetrics.Started(pool.PoolId, pool.Country);
        return lease;
    }

    /// <summary>
    /// The number ends first (it is the arbiter), then the lease records it, with the time the number
    /// ended it: when the number's first answer was lost and this is a retry, the number may have been
    /// leased again since, and the lease must not look live past the moment its number left it.
    /// </summary>
    private async Task<LeaseInfo> EndAsync(LeaseOutcome outcome)
    {
        var lease = state.State.Lease!;
        var endedAt = await GrainFactory.GetGrain<INumberGrain>(lease.Number).EndLeaseAsync(LeaseId, outcome, state.State.Messages);
        return await RecordEndAsync(lease, outcome, endedAt ?? time.GetUtcNow());
    }

    private async Task<LeaseInfo> RecordEndAsync(LeaseInfo lease, LeaseOutcome outcome, DateTimeOffset endedAt)
    {
        var ended = lease with { Status = LeaseStatus.Ended, Outcome = outcome, EndedAt = endedAt };
        await PersistAsync(ended);
        SignalChange();
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        await GrainFactory.GetGrain<ITenantGrain>(lease.TenantId).LeaseEndedAsync(LeaseId, state.State.Messages > 0);
        LeaseLog.Ended(logger, LeaseId, new MaskedNumber(lease.Number), outcome);
        LeaseMetrics.Ended(lease.PoolId, lease.Country, outcome);
        return ended;
    }

    private async Task PersistAsync(LeaseInfo lease)
    {
        var previous = state.State.Lease;
        state.State.Lease = lease;
        state.State.Revision++;
        try
        {
            await state.WriteOrDeactivateAsync(this, logger);
        }
        catch (PoolException)
        {
            state.State.Lease = previous;
            throw;
        }

        journal.Lease(state.State.ToProjection()!);
    }

    private void ArmTimer(DateTimeOffset expiresAt)
    {
        _expiryTimer?.Dispose();
        var due = expiresAt - time.GetUtcNow();
        _expiryTimer = this.RegisterGrainTimer(
            _ => OnExpiryTimerAsync(expiresAt),
            new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>
    /// A timer can fire a little before the deadline by the domain clock: then it is armed again for the
    /// rest. Ending can fail (the store or the number is away): then it is tried again shortly.
    /// </summary>
    private async Task OnExpiryTimerAsync(DateTimeOffset expiresAt)
    {
        if (state.State.Lease is not { Status: LeaseStatus.Active } lease || lease.ExpiresAt != expiresAt)
        {
            return;
        }

        var left = expiresAt - time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            ArmTimer(expiresAt);
            return;
        }

        try
        {
            await ExpireIfDueAsync();
        }
        catch (Exception ex)
        {
            LeaseLog.ExpiryFailed(logger, LeaseId, ex);
            _expiryTimer?.Dispose();
            _expiryTimer = this.RegisterGrainTimer(
                _ => OnExpiryTimerAsync(expiresAt),
                new GrainTimerCreationOptions(ExpiryRetry, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
    }

    private void SignalChange()
    {
        var waiting = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.TrySetResult();
    }

    private LeaseInfo OwnedBy(string tenantId) =>
        state.State.Lease is { } lease && lease.TenantId == tenantId
            ? lease
            : throw new PoolException(PoolErrorCode.NotFound, $"lease {LeaseId} not found", "lease_id");

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

}

internal static partial class LeaseLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Lease {LeaseId} opened on {Number} in pool {PoolId} for {Service}")]
    public static partial void Opened(ILogger logger, string leaseId, MaskedNumber number, string poolId, string service);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Lease {LeaseId} on {Number} ended ({Outcome})")]
    public static partial void Ended(ILogger logger, string leaseId, MaskedNumber number, LeaseOutcome outcome);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Lease {LeaseId} extended to {ExpiresAt}")]
    public static partial void Extended(ILogger logger, string leaseId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Lease {LeaseId} was recorded active but its number {Number} no longer holds it; recording its end ({Outcome}, known to the number: {Known})")]
    public static partial void EndFoundAtNumber(ILogger logger, string leaseId, MaskedNumber number, LeaseOutcome outcome, bool known);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Lease {LeaseId} could not end at its deadline; trying again shortly")]
    public static partial void ExpiryFailed(ILogger logger, string leaseId, Exception exception);

}
