using Pool.Contracts.Inventory;

namespace Pool.Grains.Tests;

/// <summary>Makes uniquely named pools of valid Hong Kong mobile numbers.</summary>
public static class TestPools
{
    private static int s_next;

    /// <summary>A pool with <paramref name="policy"/> (default: the standard policy without cooldown, so a released number is ready at once).</summary>
    public static async Task<(string PoolId, IReadOnlyList<string> Numbers)> CreateAsync(IGrainFactory grains, int size, PoolPolicy? policy = null)
    {
        var block = Interlocked.Increment(ref s_next);
        var poolId = $"p{block}-{Guid.NewGuid():n}"[..20];
        var numbers = Enumerable.Range(0, size).Select(i => $"+8525{block % 100:D2}{i:D5}").ToList();
        var inventory = grains.GetGrain<IInventoryGrain>(0);
        await inventory.CreatePoolAsync(new PoolInfo(poolId, "HK", null, null, policy ?? PoolPolicy.Default with { Cooldown = TimeSpan.Zero }, DateTimeOffset.UtcNow));
        if (size > 0)
        {
            var result = await inventory.AddNumbersAsync(poolId, "HK", numbers);
            Assert.Equal(size, result.Added);
        }
        return (poolId, numbers);
    }
}
