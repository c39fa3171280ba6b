namespace Pool.Contracts.Leases;

/// <summary>
/// A validated request for a number. <see cref="PoolId"/> is null to take any pool of
/// <see cref="Country"/>; <see cref="Ttl"/> is null for the pool's default.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseRequest")]
public sealed record LeaseRequest(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Country,
    [property: Id(2)] string? PoolId,
    [property: Id(3)] string Service,
    [property: Id(4)] TimeSpan? Ttl)
{
    /// <summary>E.164 prefixes ("+8525", "+85269") the client does not want.</summary>
    [Id(5)]
    public IReadOnlyList<string> ExcludePrefixes { get; init; } = [];

    /// <summary>Whether <paramref name="other"/> asks for exactly the same thing (an idempotent retry).</summary>
    public bool SameAs(LeaseRequest other) =>
        TenantId == other.TenantId && Country == other.Country && PoolId == other.PoolId
        && Service == other.Service && Ttl == other.Ttl && ExcludePrefixes.SequenceEqual(other.ExcludePrefixes);
}
