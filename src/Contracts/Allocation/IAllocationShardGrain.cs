using Orleans.Concurrency;

namespace Pool.Contracts.Allocation;

/// <summary>
/// One shard of a pool's set of lease candidates (key: "{poolId}/{shard}"). A shard holds no durable
/// state: it rebuilds its candidate list from the number inventory when it activates, and the number
/// grains stay the arbiters of who holds what. Spreading a pool over <see cref="AllocationShards.Count"/>
/// shards keeps every lease of a pool from funnelling through one activation.
/// </summary>
[Alias("pool.IAllocationShardGrain")]
public interface IAllocationShardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes up to <paramref name="max"/> ready candidates out of the shard, skipping (and keeping)
    /// numbers that start with one of <paramref name="excludePrefixes"/>.
    /// </summary>
    [Alias("Take")]
    Task<CandidateBatch> TakeCandidatesAsync(int max, IReadOnlyList<string> excludePrefixes);

    /// <summary>
    /// Puts numbers (back) into the shard's candidates, ready from <paramref name="readyAt"/> (null: now):
    /// newly provisioned ones, ones whose lease ended (after their cooldown), ones back from quarantine,
    /// and candidates taken but not used. One-way: a number grain must never wait on its shard.
    /// </summary>
    [OneWay, Alias("Return")]
    Task ReturnAsync(IReadOnlyList<string> numbers, DateTimeOffset? readyAt);
}

/// <summary>Candidates from one shard, and why it did not give more.</summary>
[GenerateSerializer, Immutable, Alias("pool.CandidateBatch")]
public sealed record CandidateBatch(
    [property: Id(0)] IReadOnlyList<string> Numbers,
    [property: Id(1)] int ExcludedByPrefix,
    [property: Id(2)] int Waiting)
{
    public static CandidateBatch Empty { get; } = new([], 0, 0);
}
