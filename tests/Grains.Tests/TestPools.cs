using Pool.Contracts.Provisioning;

namespace Pool.Grains.Tests;

/// <summary>Makes uniquely named pools of valid Hong Kong mobile numbers.</summary>
public static class TestPools
{
    private static int s_next;

    public static async Task<(string PoolId, IReadOnlyList<string> Numbers)> CreateAsync(IGrainFactory grains, int size)
    {
        var block = Interlocked.Increment(ref s_next);
        var poolId = $"p{block}-{Guid.NewGuid():n}"[..20];
        var numbers = Enumerable.Range(0, size).Select(i => $"+8525{block % 100:D2}{i:D5}").ToList();
        var result = await grains.GetGrain<IProvisioningGrain>(0).AddNumbersAsync(poolId, "HK", numbers);
        Assert.Equal(size, result.Added);
        return (poolId, numbers);
    }
}
