namespace Pool.Contracts.Leases;

/// <summary>Lists a tenant's leases from the lease projection (a stateless worker: a query, no state).</summary>
[Alias("pool.ILeaseQueryGrain")]
public interface ILeaseQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Newest first; <paramref name="after"/> (the last lease of the previous page) pages backwards.</summary>
    [Alias("List")]
    Task<IReadOnlyList<LeaseInfo>> ListAsync(string tenantId, bool activeOnly, LeaseCursor? after, int limit);
}

/// <summary>A position in a newest-first lease listing: creation time, then lease id to break ties.</summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseCursor")]
public sealed record LeaseCursor([property: Id(0)] DateTimeOffset CreatedAt, [property: Id(1)] string LeaseId);
