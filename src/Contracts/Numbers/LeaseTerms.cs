namespace Pool.Contracts.Numbers;

/// <summary>What a lease asks of a number: who holds it, for which service, until when.</summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseTerms")]
public sealed record LeaseTerms(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string PoolId,
    [property: Id(3)] string Service,
    [property: Id(4)] DateTimeOffset ExpiresAt);
