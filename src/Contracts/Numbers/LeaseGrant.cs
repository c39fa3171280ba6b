namespace Pool.Contracts.Numbers;

/// <summary>A number's answer to a lease attempt.</summary>
[GenerateSerializer, Alias("pool.LeaseRefusal")]
public enum LeaseRefusal
{
    None = 0,

    /// <summary>The number is held by another lease (or otherwise not available).</summary>
    NotAvailable = 1,

    /// <summary>The number is not in the inventory, or not in the pool the lease asked for.</summary>
    NotInPool = 2,
}

/// <summary>The number's verdict on a <see cref="LeaseTerms"/>: granted, or refused and why.</summary>
[GenerateSerializer, Immutable, Alias("pool.LeaseGrant")]
public sealed record LeaseGrant([property: Id(0)] bool Granted, [property: Id(1)] LeaseRefusal Refusal)
{
    public static LeaseGrant Yes { get; } = new(true, LeaseRefusal.None);

    public static LeaseGrant No(LeaseRefusal refusal) => new(false, refusal);
}
