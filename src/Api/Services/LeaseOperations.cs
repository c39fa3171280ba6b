using Pool.Contracts.Inbound;
using Pool.Contracts.Leases;

namespace Pool.Api.Services;

/// <summary>
/// A tenant's lease operations on the grains: the one path that pool.v1.Leases and the sms-activate
/// endpoint share, so both get the same admission (active-lease quota, anti-scan rule), ownership
/// checks and errors (<see cref="Contracts.Errors.PoolException"/>). Requests are validated by the caller;
/// the caller's cancellation token flows into every grain call.
/// </summary>
public sealed class LeaseOperations(IGrainFactory grains)
{
    /// <summary>
    /// Opens a lease for <paramref name="request"/>: with an <paramref name="idempotencyKey"/> the lease id is
    /// derived from (tenant, key), so a retry gets the first answer; without one it is random.
    /// </summary>
    public Task<LeaseInfo> OpenAsync(LeaseRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var leaseId = string.IsNullOrEmpty(idempotencyKey) ? LeaseIds.NewRandom() : LeaseIds.ForIdempotencyKey(request.TenantId, idempotencyKey);
        return grains.GetGrain<ILeaseGrain>(leaseId).OpenAsync(request, cancellationToken).WaitAsync(cancellationToken);
    }

    /// <summary>The lease if <paramref name="tenantId"/> holds it; NotFound otherwise.</summary>
    public Task<LeaseInfo> GetAsync(string tenantId, string leaseId, CancellationToken cancellationToken) =>
        grains.GetGrain<ILeaseGrain>(leaseId).GetAsync(tenantId).WaitAsync(cancellationToken);

    /// <summary>Ends the lease with <paramref name="outcome"/> (the same outcome again answers the ended lease).</summary>
    public Task<LeaseInfo> ReleaseAsync(string tenantId, string leaseId, LeaseOutcome outcome, CancellationToken cancellationToken) =>
        grains.GetGrain<ILeaseGrain>(leaseId).ReleaseAsync(tenantId, outcome).WaitAsync(cancellationToken);

    /// <summary>"Send another SMS": FailedPrecondition when no code has arrived yet or the lease has ended.</summary>
    public Task<LeaseInfo> RequestAnotherSmsAsync(string tenantId, string leaseId, CancellationToken cancellationToken) =>
        grains.GetGrain<ILeaseGrain>(leaseId).RequestAnotherSmsAsync(tenantId).WaitAsync(cancellationToken);

    /// <summary>The messages of a lease <paramref name="tenantId"/> holds, oldest first; NotFound for another tenant's lease.</summary>
    public async Task<IReadOnlyList<StoredMessage>> ListMessagesAsync(string tenantId, string leaseId, CancellationToken cancellationToken)
    {
        await GetAsync(tenantId, leaseId, cancellationToken);
        return await grains.GetGrain<IInboundGrain>(0).ListForLeaseAsync(leaseId).WaitAsync(cancellationToken);
    }

    /// <summary>The tenant's leases, newest first, <paramref name="limit"/> at most, after <paramref name="after"/>.</summary>
    public Task<IReadOnlyList<LeaseInfo>> ListAsync(string tenantId, bool activeOnly, LeaseCursor? after, int limit, CancellationToken cancellationToken) =>
        grains.GetGrain<ILeaseQueryGrain>(0).ListAsync(tenantId, activeOnly, after, limit).WaitAsync(cancellationToken);
}
