using Pool.Contracts.Allocation;
using Pool.Contracts.Leases;
using Pool.Contracts.Inventory;

namespace Pool.Sms.Tests;

public sealed class ContractsTests
{
    [Fact]
    public void The_same_tenant_and_idempotency_key_always_name_the_same_lease()
    {
        var first = LeaseIds.ForIdempotencyKey("acme", "order-42");
        Assert.Equal(first, LeaseIds.ForIdempotencyKey("acme", "order-42"));
        Assert.NotEqual(first, LeaseIds.ForIdempotencyKey("other", "order-42"));
        Assert.NotEqual(first, LeaseIds.ForIdempotencyKey("acme", "order-43"));
        Assert.True(LeaseIds.IsValid(first));
    }

    [Fact]
    public void Random_lease_ids_are_valid_and_distinct()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => LeaseIds.NewRandom()).ToList();
        Assert.All(ids, id => Assert.True(LeaseIds.IsValid(id), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ls_")]
    [InlineData("ls_0123456789abcdef0123456789ABCDEF")]
    [InlineData("xx_0123456789abcdef0123456789abcdef")]
    [InlineData("ls_0123456789abcdef0123456789abcde")]
    public void Malformed_lease_ids_are_not_valid(string id) => Assert.False(LeaseIds.IsValid(id));

    [Theory]
    [InlineData("HK-Main", "hk-main")]
    [InlineData("gb", "gb")]
    [InlineData("a1", "a1")]
    public void Pool_names_normalise_to_lower_case(string input, string expected)
    {
        Assert.True(PoolId.TryNormalize(input, out var pool, out _));
        Assert.Equal(expected, pool);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-hk")]
    [InlineData("hk main")]
    [InlineData("hk/main")]
    [InlineData("a234567890123456789012345678901234567890x")]
    public void Bad_pool_names_are_refused(string input) => Assert.False(PoolId.TryNormalize(input, out _, out _));

    [Theory]
    [InlineData("Telegram", "telegram")]
    [InlineData("google.voice", "google.voice")]
    [InlineData("we_chat-2", "we_chat-2")]
    public void Service_names_normalise_to_lower_case(string input, string expected)
    {
        Assert.True(ServiceName.TryNormalize(input, out var service, out _));
        Assert.Equal(expected, service);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("two words")]
    [InlineData("验证")]
    public void Bad_service_names_are_refused(string input) => Assert.False(ServiceName.TryNormalize(input, out _, out _));

    [Fact]
    public void Shards_are_stable_in_range_and_spread_numbers_evenly()
    {
        // Stable: persisted with each number, so the same input must give the same shard forever.
        Assert.Equal(AllocationShards.ShardOf("+85251234567"), AllocationShards.ShardOf("+85251234567"));

        var counts = new int[AllocationShards.Count];
        for (var i = 0; i < 16_000; i++)
        {
            var shard = AllocationShards.ShardOf($"+8525{i:D7}");
            Assert.InRange(shard, 0, AllocationShards.Count - 1);
            counts[shard]++;
        }

        // 1000 expected per shard; a fair hash stays well inside ±20%.
        Assert.All(counts, count => Assert.InRange(count, 800, 1200));
    }
}
