using Pool.Contracts.Leases;

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
}
