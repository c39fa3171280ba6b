using Pool.Contracts.Errors;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Grains.Allocation;
using Pool.Grains.Inventory;
using Pool.Grains.Persistence;
using Pool.Sms.Numbers;

namespace Pool.Grains.Leases;

/// <summary>
/// One lease: allocation on open, the record the tenant reads, and the release that hands the number
/// back. Non-reentrant on purpose: a retry of an open waits for the first to finish and then gets its answer.
/// </summary>
public sealed class LeaseGrain(
    [PersistentState("lease", PoolStorage.Name)] IPersistentState<LeaseState> state,
    PoolCatalog catalog,
    TimeProvider time,
    ILogger<LeaseGrain> logger) : Grain, ILeaseGrain
{
    private string LeaseId => this.GetPrimaryKeyString();

    public async Task<LeaseInfo> OpenAsync(LeaseRequest request)
    {
        if (state.State.Lease is { } existing)
        {
            return state.State.Request == request
                ? existing
                : throw new PoolException(PoolErrorCode.Conflict, "this idempotency key was already used for a different lease request", "idempotency_key");
        }

        var pools = await catalog.ResolveAsync(request.Country, request.PoolId);
        if (pools.Count == 0)
        {
            throw new PoolException(PoolErrorCode.Exhausted, $"no pool holds numbers of {request.Country}");
        }

        var now = time.GetUtcNow();
        var allocator = new NumberAllocator(GrainFactory);
        foreach (var pool in pools)
        {
            var terms = new LeaseTerms(LeaseId, request.TenantId, pool.PoolId, request.Service, now + request.Ttl);
            var number = await allocator.AllocateAsync(terms);
            if (number is null)
            {
                continue;
            }

            state.State.Request = request;
            state.State.Lease = new LeaseInfo(
                LeaseId, request.TenantId, pool.PoolId, pool.Country, number, request.Service,
                now, terms.ExpiresAt, LeaseStatus.Active, LeaseOutcome.None, EndedAt: null);
            try
            {
                await state.WriteOrDeactivateAsync(this, logger);
            }
            catch (PoolException)
            {
                state.State.Lease = null;
                await GrainFactory.GetGrain<INumberGrain>(number).EndLeaseAsync(LeaseId, LeaseOutcome.Cancelled);
                throw;
            }

            LeaseLog.Opened(logger, LeaseId, new MaskedNumber(number), pool.PoolId, request.Service);
            return state.State.Lease;
        }

        var names = string.Join(", ", pools.Select(p => $"'{p.PoolId}'"));
        throw new PoolException(PoolErrorCode.Exhausted, $"no number available in pool {names} ({request.Country}): every number is leased");
    }

    public Task<LeaseInfo> GetAsync(string tenantId) => Task.FromResult(OwnedBy(tenantId));

    public async Task<LeaseInfo> ReleaseAsync(string tenantId, LeaseOutcome outcome)
    {
        var lease = OwnedBy(tenantId);
        if (outcome == LeaseOutcome.None)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "a release needs an outcome (completed, cancelled, bad_number)", "outcome");
        }

        if (lease.Status == LeaseStatus.Ended)
        {
            return lease.Outcome == outcome
                ? lease
                : throw new PoolException(PoolErrorCode.FailedPrecondition, $"lease {LeaseId} already ended ({lease.Outcome})");
        }

        await GrainFactory.GetGrain<INumberGrain>(lease.Number).EndLeaseAsync(LeaseId, outcome);
        state.State.Lease = lease with { Status = LeaseStatus.Ended, Outcome = outcome, EndedAt = time.GetUtcNow() };
        await state.WriteOrDeactivateAsync(this, logger);
        LeaseLog.Released(logger, LeaseId, new MaskedNumber(lease.Number), outcome);
        return state.State.Lease;
    }

    private LeaseInfo OwnedBy(string tenantId) =>
        state.State.Lease is { } lease && lease.TenantId == tenantId
            ? lease
            : throw new PoolException(PoolErrorCode.NotFound, $"lease {LeaseId} not found", "lease_id");
}

internal static partial class LeaseLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Lease {LeaseId} opened on {Number} in pool {PoolId} for {Service}")]
    public static partial void Opened(ILogger logger, string leaseId, MaskedNumber number, string poolId, string service);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Lease {LeaseId} on {Number} released ({Outcome})")]
    public static partial void Released(ILogger logger, string leaseId, MaskedNumber number, LeaseOutcome outcome);
}
