using Orleans.Concurrency;
using Pool.Contracts.Allocation;
using Pool.Contracts.Provisioning;
using Pool.Grains.Inventory;

namespace Pool.Grains.Provisioning;

/// <summary>Adds numbers to the inventory and tells the shards about them.</summary>
[StatelessWorker] // Provisioning holds no state: any silo serves it locally, several at once.
public sealed class ProvisioningGrain(NumberInventory inventory, ILogger<ProvisioningGrain> logger) : Grain, IProvisioningGrain
{
    public async Task<AddNumbersResult> AddNumbersAsync(string poolId, string country, IReadOnlyList<string> numbers)
    {
        var distinct = numbers.Distinct(StringComparer.Ordinal).ToList();
        var added = await inventory.AddNumbersAsync(poolId, country, distinct);
        foreach (var group in added.GroupBy(AllocationShards.ShardOf))
        {
            await GrainFactory.GetGrain<IAllocationShardGrain>(AllocationShards.KeyOf(poolId, group.Key)).ReturnAsync([.. group]);
        }

        var addedSet = added.ToHashSet(StringComparer.Ordinal);
        ProvisioningLog.Added(logger, added.Count, poolId, country);
        return new AddNumbersResult(poolId, added.Count, [.. distinct.Where(n => !addedSet.Contains(n))]);
    }
}

internal static partial class ProvisioningLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Added {Count} numbers to pool {PoolId} ({Country})")]
    public static partial void Added(ILogger logger, int count, string poolId, string country);
}
