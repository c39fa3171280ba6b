using System.IO.Hashing;
using System.Text;

namespace Pool.Contracts.Allocation;

/// <summary>Maps numbers to the allocation shards of their pool.</summary>
public static class AllocationShards
{
    /// <summary>
    /// Shards per pool. A shard only hands out candidates from memory (no write, no I/O per lease), so
    /// one shard sustains far more than the ~3k durable writes/s that bound a whole 2-core silo; 16
    /// shards spread one pool's traffic over every silo of a cluster up to 16 silos and keep a shard's
    /// share of a 1M-number pool near 64k entries. Changing it re-shards every pool: it is persisted
    /// with each number in the inventory.
    /// </summary>
    public const int Count = 16;

    /// <summary>The shard of <paramref name="number"/>: a stable hash, identical on every silo and every run.</summary>
    public static int ShardOf(string number)
    {
        var hash = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(number));
        return (int)(hash % Count);
    }

    public static string KeyOf(string poolId, int shard) => $"{poolId}/{shard}";
}
