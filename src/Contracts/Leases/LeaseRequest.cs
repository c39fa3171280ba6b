namespace Pool.Contracts.Leases;

/// <summary>
/// A validated request for a number. <see cref="PoolId"/> is null to take any pool of
/// <see cref="Country"/>. Two requests are "the same" (for idempotency) when every field matches.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseRequest")]
public sealed record LeaseRequest(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Country,
    [property: Id(2)] string? PoolId,
    [property: Id(3)] string Service,
    [property: Id(4)] TimeSpan Ttl);
