using Orleans.Concurrency;
using Pool.Contracts.Allocation;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;

namespace Pool.Grains.Inventory;

/// <summary>Pools and the number inventory, for operators.</summary>
[StatelessWorker] // No state of its own: any silo serves it locally, several calls at once.
public sealed class InventoryGrain(NumberInventory inventory, PoolCatalog catalog, ILogger<InventoryGrain> logger) : Grain, IInventoryGrain
{
    public async Task<PoolInfo> CreatePoolAsync(PoolInfo pool)
    {
        var (stored, created) = await inventory.CreatePoolAsync(pool, AuditActor.Current);
        if (!created && (stored.Country != pool.Country || stored.Carrier != pool.Carrier || stored.Region != pool.Region || stored.Policy != pool.Policy))
        {
            throw new PoolException(PoolErrorCode.Conflict, $"pool '{pool.PoolId}' already exists with other settings (country {stored.Country}); change its policy with an update instead");
        }

        catalog.Invalidate(pool.PoolId);
        await GrainFactory.GetGrain<IExpirySweepGrain>(pool.PoolId).EnsureScheduledAsync();
        if (created)
        {
            InventoryLog.PoolCreated(logger, pool.PoolId, pool.Country);
        }

        return stored;
    }

    public async Task<PoolInfo> UpdatePolicyAsync(string poolId, PoolPolicy policy)
    {
        var updated = await inventory.UpdatePolicyAsync(poolId, policy, AuditActor.Current)
            ?? throw new PoolException(PoolErrorCode.NotFound, $"pool '{poolId}' does not exist", "pool");
        catalog.Invalidate(poolId);
        return updated;
    }

    public async Task<PoolInfo> GetPoolAsync(string poolId) =>
        await inventory.FindPoolAsync(poolId) ?? throw new PoolException(PoolErrorCode.NotFound, $"pool '{poolId}' does not exist", "pool");

    public Task<IReadOnlyList<PoolInfo>> ListPoolsAsync(string? country) => inventory.ListPoolsAsync(country);

    public async Task<PoolStats> GetStatsAsync(string poolId)
    {
        await GetPoolAsync(poolId);
        return await inventory.GetStatsAsync(poolId);
    }

    public async Task<AddNumbersResult> AddNumbersAsync(string poolId, string country, IReadOnlyList<string> numbers)
    {
        var distinct = numbers.Distinct(StringComparer.Ordinal).ToList();
        var added = await inventory.AddNumbersAsync(poolId, country, distinct, AuditActor.Current);
        catalog.Invalidate(poolId);
        await GrainFactory.GetGrain<IExpirySweepGrain>(poolId).EnsureScheduledAsync();
        foreach (var group in added.GroupBy(AllocationShards.ShardOf))
        {
            await GrainFactory.GetGrain<IAllocationShardGrain>(AllocationShards.KeyOf(poolId, group.Key)).ReturnAsync([.. group], null);
        }

        var addedSet = added.ToHashSet(StringComparer.Ordinal);
        InventoryLog.Added(logger, added.Count, poolId, country);
        return new AddNumbersResult(poolId, added.Count, [.. distinct.Where(n => !addedSet.Contains(n))]);
    }
}

internal static partial class InventoryLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Added {Count} numbers to pool {PoolId} ({Country})")]
    public static partial void Added(ILogger logger, int count, string poolId, string country);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Created pool {PoolId} ({Country})")]
    public static partial void PoolCreated(ILogger logger, string poolId, string country);
}
