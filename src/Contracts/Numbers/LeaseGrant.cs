namespace Pool.Contracts.Numbers;

/// <summary>Why a number refused a lease.</summary>
[GenerateSerializer, Alias("pool.LeaseRefusal")]
public enum LeaseRefusal
{
    None = 0,

    /// <summary>Leased, cooling, watchlisted or retired: the number comes back to its shard by itself when it can serve again.</summary>
    NotAvailable = 1,

    /// <summary>The number is not in the inventory, or not in the pool the lease asked for.</summary>
    NotInPool = 2,

    /// <summary>The number already served the requested service (within the pool's reuse window); it stays a candidate for other services.</summary>
    ServiceUsed = 3,
}

/// <summary>The number's verdict on a <see cref="LeaseTerms"/>: granted, or refused and why.</summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseGrant")]
public sealed record LeaseGrant([property: Id(0)] bool Granted, [property: Id(1)] LeaseRefusal Refusal)
{
    public static LeaseGrant Yes { get; } = new(true, LeaseRefusal.None);

    public static LeaseGrant No(LeaseRefusal refusal) => new(false, refusal);
}
