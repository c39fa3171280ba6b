namespace Pool.Contracts.Numbers;

/// <summary>A snapshot of one virtual number.</summary>
[GenerateSerializer, Immutable, Alias("pool.NumberInfo")]
public sealed record NumberInfo(
    [property: Id(0)] string Number,
    [property: Id(1)] string PoolId,
    [property: Id(2)] string Country,
    [property: Id(3)] NumberStatus Status,
    [property: Id(4)] string? LeaseId,
    [property: Id(5)] int Uses);
