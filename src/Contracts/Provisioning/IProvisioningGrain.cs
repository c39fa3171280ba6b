namespace Pool.Contracts.Provisioning;

/// <summary>
/// Adds numbers to pools. A stateless worker: provisioning is a bulk write to the inventory table
/// followed by one message per touched shard, so any silo can do it locally and in parallel.
/// </summary>
[Alias("pool.IProvisioningGrain")]
public interface IProvisioningGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Adds validated, canonical E.164 <paramref name="numbers"/> of <paramref name="country"/> to
    /// <paramref name="poolId"/>, creating the pool when it does not exist. All or nothing: a number
    /// that already belongs to another pool, or a pool of another country, refuses the whole batch.
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
