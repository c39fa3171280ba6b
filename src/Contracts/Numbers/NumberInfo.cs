namespace Pool.Contracts.Numbers;

/// <summary>A snapshot of one virtual number.</summary>
[GenerateSerializer, Immutable, Alias("pool.NumberInfo")]
public sealed record NumberInfo(
    [property: Id(0)] string Number,
    [property: Id(1)] string PoolId,
    [property: Id(2)] string Country,
    [property: Id(3)] NumberStatus Status,
    [property: Id(4)] string? LeaseId,
    [property: Id(5)] int Uses)
{
    /// <summary>End of the cooldown or quarantine, for Cooling and Watchlisted.</summary>
    [Id(6)]
    public DateTimeOffset? Until { get; init; }

    /// <summary>Why the number is watchlisted or retired.</summary>
    [Id(7)]
    public string? Reason { get; init; }

    /// <summary>How many times it has been watchlisted.</summary>
    [Id(8)]
    public int Offences { get; init; }

    /// <summary>Services the number has served, with when it last served each.</summary>
    [Id(9)]
    public IReadOnlyDictionary<string, DateTimeOffset> ServedServices { get; init; } = new Dictionary<string, DateTimeOffset>();
}
