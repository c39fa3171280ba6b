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
    /// <summary>Takes up to <paramref name="max"/> candidates out of the shard; empty when it has none.</summary>
    [Alias("Take")]
    Task<IReadOnlyList<string>> TakeCandidatesAsync(int max);

    /// <summary>
    /// Puts numbers (back) into the shard's candidates: newly provisioned ones, ones whose lease ended,
    /// and candidates taken but not used. One-way: a number grain must never wait on its shard.
    /// </summary>
    [OneWay, Alias("Return")]
    Task ReturnAsync(IReadOnlyList<string> numbers);
}
