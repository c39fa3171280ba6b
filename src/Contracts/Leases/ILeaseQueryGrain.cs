namespace Pool.Contracts.Leases;

/// <summary>Lists a tenant's leases from the lease projection (a stateless worker: a query, no state).</summary>
[Alias("pool.ILeaseQueryGrain")]
public interface ILeaseQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Newest first; <paramref name="before"/> pages backwards by creation time.</summary>
    [Alias("List")]
    Task<IReadOnlyList<LeaseInfo>> ListAsync(string tenantId, bool activeOnly, DateTimeOffset? before, int limit);
}
