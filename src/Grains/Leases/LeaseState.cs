using Pool.Contracts.Leases;
using Pool.Grains.Inventory;

namespace Pool.Grains.Leases;

/// <summary>The persisted lease (state name "lease", unique in the solution).</summary>
[GenerateSerializer, Alias("pool.LeaseState")]
public sealed class LeaseState
{
    /// <summary>The request that opened the lease, kept to recognise a retry of it.</summary>
    [Id(0)]
    public LeaseRequest? Request { get; set; }

    [Id(1)]
    public LeaseInfo? Lease { get; set; }

    /// <summary>SMS received on the lease's number while it was active.</summary>
    [Id(2)]
    public int Messages { get; set; }

    /// <summary>Incremented by every persisted change; orders the projection's writes.</summary>
    [Id(3)]
    public int Revision { get; set; }

    /// <summary>The row the <c>leases</c> projection holds for this state (null while no lease was opened).</summary>
    public LeaseProjection? ToProjection() => Lease is not { } lease
        ? null
        : new LeaseProjection(
            lease.LeaseId, lease.TenantId, lease.PoolId, lease.Number, lease.Service,
            lease.Status == LeaseStatus.Active ? "active" : "ended", lease.Outcome == LeaseOutcome.None ? null : LeaseOutcomes.Name(lease.Outcome),
            lease.CreatedAt, lease.ExpiresAt, lease.EndedAt, Revision) { Messages = Messages };
}

/// <summary>The names the projection and messages use for lease outcomes.</summary>
public static class LeaseOutcomes
{
    public static string Name(LeaseOutcome outcome) => outcome switch
    {
        LeaseOutcome.Completed => "completed",
        LeaseOutcome.Cancelled => "cancelled",
        LeaseOutcome.Expired => "expired",
        LeaseOutcome.BadNumber => "bad_number",
        _ => "none",
    };

    public static LeaseOutcome Parse(string? outcome) => outcome switch
    {
        "completed" => LeaseOutcome.Completed,
        "cancelled" => LeaseOutcome.Cancelled,
        "expired" => LeaseOutcome.Expired,
        "bad_number" => LeaseOutcome.BadNumber,
        _ => LeaseOutcome.None,
    };
}
