using Pool.Contracts.Numbers;

namespace Pool.Grains.Inventory;

/// <summary>Where a number belongs.</summary>
public sealed record NumberRecord(string Number, string PoolId, string Country);

/// <summary>
/// A number's state as the projection holds it (written behind the grain). <see cref="LeaseId"/> names
/// the lease holding a leased number.
/// </summary>
public sealed record NumberProjection(string Number, NumberStatus Status, DateTimeOffset? Until, string? Reason, int Uses, int Revision, DateTimeOffset UpdatedAt)
{
    public string? LeaseId { get; init; }
}

/// <summary>A lease's row in the projection.</summary>
public sealed record LeaseProjection(
    string LeaseId, string TenantId, string PoolId, string Number, string Service, string Status, string? Outcome,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, int Revision)
{
    /// <summary>SMS the lease received.</summary>
    public int Messages { get; init; }
}

/// <summary>A number or lease state whose projection row is behind it: its state name ("number" or "lease") and key.</summary>
public sealed record BehindProjection(string StateName, string Key, DateTimeOffset ModifiedOn);
