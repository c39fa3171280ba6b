using Pool.Contracts.Numbers;

namespace Pool.Grains.Numbers;

/// <summary>The persisted life of one number (state name "number", unique in the solution).</summary>
[GenerateSerializer, Alias("pool.NumberState")]
public sealed class NumberState
{
    [Id(0)]
    public string PoolId { get; set; } = "";

    [Id(1)]
    public string Country { get; set; } = "";

    [Id(2)]
    public NumberStatus Status { get; set; }

    /// <summary>The lease holding the number while <see cref="Status"/> is Leased.</summary>
    [Id(3)]
    public LeaseTerms? Lease { get; set; }

    /// <summary>How many leases the number has served.</summary>
    [Id(4)]
    public int Uses { get; set; }

    [Id(5)]
    public DateTimeOffset? LastLeaseEndedAt { get; set; }
}
