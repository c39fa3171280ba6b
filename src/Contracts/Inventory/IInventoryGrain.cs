namespace Pool.Contracts.Inventory;

/// <summary>
/// Pools and the number inventory (the operators' side). A stateless worker: every call is a few
/// statements against the inventory tables plus messages to the shards it touches, so any silo
/// serves it locally and several calls run at once.
/// </summary>
[Alias("pool.IInventoryGrain")]
public interface IInventoryGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a pool. Creating it again with the same settings returns it; different settings are a Conflict.</summary>
    [Alias("CreatePool")]
    Task<PoolInfo> CreatePoolAsync(PoolInfo pool);

    /// <summary>Replaces a pool's policy; NotFound for an unknown pool.</summary>
    [Alias("UpdatePolicy")]
    Task<PoolInfo> UpdatePolicyAsync(string poolId, PoolPolicy policy);

    [Alias("GetPool")]
    Task<PoolInfo> GetPoolAsync(string poolId);

    /// <summary>Every pool, or every pool of <paramref name="country"/>, by name.</summary>
    [Alias("ListPools")]
    Task<IReadOnlyList<PoolInfo>> ListPoolsAsync(string? country);

    [Alias("GetStats")]
    Task<PoolStats> GetStatsAsync(string poolId);

    /// <summary>
    /// Adds validated, canonical E.164 <paramref name="numbers"/> of <paramref name="country"/> to
    /// <paramref name="poolId"/>, creating the pool with the default policy when it does not exist.
    /// All or nothing: a number that already belongs to another pool, or a pool of another country,
    /// refuses the whole batch.
    /// </summary>
    [Alias("AddNumbers")]
    Task<AddNumbersResult> AddNumbersAsync(string poolId, string country, IReadOnlyList<string> numbers);
}

/// <summary>What an add did: how many numbers are new, and which were already in that pool.</summary>
[GenerateSerializer, Immutable, Alias("pool.AddNumbersResult")]
public sealed record AddNumbersResult(
    [property: Id(0)] string PoolId,
    [property: Id(1)] int Added,
    [property: Id(2)] IReadOnlyList<string> AlreadyPresent);
