namespace Pool.Contracts.Leases;

/// <summary>A lease as its tenant sees it.</summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseInfo")]
public sealed record LeaseInfo(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string PoolId,
    [property: Id(3)] string Country,
    [property: Id(4)] string Number,
    [property: Id(5)] string Service,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset ExpiresAt,
    [property: Id(8)] LeaseStatus Status,
    [property: Id(9)] LeaseOutcome Outcome,
    [property: Id(10)] DateTimeOffset? EndedAt)
{
    [Id(11)]
    public SessionState Session { get; init; }
}
