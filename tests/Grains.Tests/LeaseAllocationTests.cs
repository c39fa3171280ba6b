using Pool.Contracts.Errors;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;

namespace Pool.Grains.Tests;

public sealed class LeaseAllocationTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(20);

    private IGrainFactory Grains => fixture.Grains;

    private Task<LeaseInfo> OpenAsync(string poolId, string tenant = "acme", string service = "telegram", string? leaseId = null) =>
        Grains.GetGrain<ILeaseGrain>(leaseId ?? LeaseIds.NewRandom()).OpenAsync(new LeaseRequest(tenant, "HK", poolId, service, Ttl));

    [Fact]
    public async Task A_lease_takes_a_number_of_the_pool_and_the_number_records_it()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 3);

        var lease = await OpenAsync(poolId);

        Assert.Contains(lease.Number, numbers);
        Assert.Equal(LeaseStatus.Active, lease.Status);
        Assert.Equal(poolId, lease.PoolId);
        Assert.Equal(lease.CreatedAt + Ttl, lease.ExpiresAt);
        var number = await Grains.GetGrain<INumberGrain>(lease.Number).GetAsync();
        Assert.Equal(NumberStatus.Leased, number.Status);
        Assert.Equal(lease.LeaseId, number.LeaseId);
        Assert.Equal(1, number.Uses);
    }

    [Fact]
    public async Task A_number_is_never_leased_to_two_leases_at_once()
    {
        const int poolSize = 24;
        const int requests = 100;
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, poolSize);

        var attempts = await Task.WhenAll(Enumerable.Range(0, requests).Select(async _ =>
        {
            try
            {
                return (Lease: await OpenAsync(poolId), Error: (PoolException?)null);
            }
            catch (PoolException ex)
            {
                return (Lease: (LeaseInfo?)null, Error: ex);
            }
        }));

        var leases = attempts.Where(a => a.Lease is not null).Select(a => a.Lease!).ToList();
        Assert.Equal(poolSize, leases.Count);
        Assert.Equal(poolSize, leases.Select(l => l.Number).Distinct().Count());
        Assert.All(attempts.Where(a => a.Error is not null), a => Assert.Equal(PoolErrorCode.Exhausted, a.Error!.Code));
        Assert.Equal(requests - poolSize, attempts.Count(a => a.Error is not null));
        foreach (var lease in leases)
        {
            var number = await Grains.GetGrain<INumberGrain>(lease.Number).GetAsync();
            Assert.Equal(lease.LeaseId, number.LeaseId);
        }

        Assert.Equal(numbers.Order(), leases.Select(l => l.Number).Order());
    }

    [Fact]
    public async Task An_empty_pool_is_exhausted_with_a_message_naming_the_pool()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        await OpenAsync(poolId);

        var error = await Assert.ThrowsAsync<PoolException>(() => OpenAsync(poolId));

        Assert.Equal(PoolErrorCode.Exhausted, error.Code);
        Assert.Contains($"'{poolId}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_released_number_goes_back_to_the_pool_and_can_be_leased_again()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var first = await OpenAsync(poolId);

        var released = await Grains.GetGrain<ILeaseGrain>(first.LeaseId).ReleaseAsync("acme", LeaseOutcome.Completed);
        var second = await OpenAsync(poolId, service: "whatsapp");

        Assert.Equal(LeaseStatus.Ended, released.Status);
        Assert.Equal(LeaseOutcome.Completed, released.Outcome);
        Assert.NotNull(released.EndedAt);
        Assert.Equal(first.Number, second.Number);
        Assert.Equal(2, (await Grains.GetGrain<INumberGrain>(first.Number).GetAsync()).Uses);
    }

    [Fact]
    public async Task Releasing_twice_with_the_same_outcome_returns_the_first_answer_and_another_outcome_is_refused()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await OpenAsync(poolId);
        var grain = Grains.GetGrain<ILeaseGrain>(lease.LeaseId);

        var first = await grain.ReleaseAsync("acme", LeaseOutcome.Cancelled);
        var again = await grain.ReleaseAsync("acme", LeaseOutcome.Cancelled);
        var other = await Assert.ThrowsAsync<PoolException>(() => grain.ReleaseAsync("acme", LeaseOutcome.Completed));

        Assert.Equal(first, again);
        Assert.Equal(PoolErrorCode.FailedPrecondition, other.Code);
    }

    [Fact]
    public async Task Another_tenant_cannot_see_or_release_a_lease()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await OpenAsync(poolId, tenant: "acme");
        var grain = Grains.GetGrain<ILeaseGrain>(lease.LeaseId);

        var get = await Assert.ThrowsAsync<PoolException>(() => grain.GetAsync("intruder"));
        var release = await Assert.ThrowsAsync<PoolException>(() => grain.ReleaseAsync("intruder", LeaseOutcome.Completed));

        Assert.Equal(PoolErrorCode.NotFound, get.Code);
        Assert.Equal(PoolErrorCode.NotFound, release.Code);
        Assert.Equal(LeaseStatus.Active, (await grain.GetAsync("acme")).Status);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_request_get_one_lease_and_use_one_number()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 5);
        var leaseId = LeaseIds.ForIdempotencyKey("acme", "order-1");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => OpenAsync(poolId, leaseId: leaseId)));

        Assert.Single(answers.Distinct());
        var leasedNumbers = 0;
        foreach (var number in await NumbersOfAsync(poolId))
        {
            leasedNumbers += number.Status == NumberStatus.Leased ? 1 : 0;
        }

        Assert.Equal(1, leasedNumbers);
    }

    [Fact]
    public async Task Reusing_a_lease_id_for_a_different_request_is_a_conflict()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 2);
        var leaseId = LeaseIds.ForIdempotencyKey("acme", "order-2");
        await OpenAsync(poolId, leaseId: leaseId, service: "telegram");

        var error = await Assert.ThrowsAsync<PoolException>(() => OpenAsync(poolId, leaseId: leaseId, service: "whatsapp"));

        Assert.Equal(PoolErrorCode.Conflict, error.Code);
        Assert.Equal("idempotency_key", error.Field);
    }

    [Fact]
    public async Task A_pool_of_another_country_is_refused_naming_the_pool_field()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);

        var error = await Assert.ThrowsAsync<PoolException>(() =>
            Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest("acme", "GB", poolId, "telegram", Ttl)));

        Assert.Equal(PoolErrorCode.InvalidArgument, error.Code);
        Assert.Equal("pool", error.Field);
    }

    [Fact]
    public async Task A_number_outside_the_inventory_is_not_found_and_cannot_be_leased()
    {
        var grain = Grains.GetGrain<INumberGrain>("+85299999999");

        var error = await Assert.ThrowsAsync<PoolException>(grain.GetAsync);
        var grant = await grain.TryLeaseAsync(new LeaseTerms(LeaseIds.NewRandom(), "acme", "any", "telegram", DateTimeOffset.UtcNow.AddMinutes(5)));

        Assert.Equal(PoolErrorCode.NotFound, error.Code);
        Assert.Equal(LeaseGrant.No(LeaseRefusal.NotInPool), grant);
    }

    [Fact]
    public async Task A_number_looked_up_before_it_was_added_serves_as_soon_as_it_is_added()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 0);
        const string number = "+85269990001";
        var before = await Assert.ThrowsAsync<PoolException>(() => Grains.GetGrain<INumberGrain>(number).GetAsync());

        await Grains.GetGrain<Pool.Contracts.Inventory.IInventoryGrain>(0).AddNumbersAsync(poolId, "HK", [number]);
        var lease = await OpenAsync(poolId);

        Assert.Equal(PoolErrorCode.NotFound, before.Code);
        Assert.Equal(number, lease.Number);
    }

    [Fact]
    public async Task A_cancelled_open_takes_no_number()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest("acme", "HK", poolId, "telegram", Ttl), cancelled.Token));
        var lease = await OpenAsync(poolId);

        Assert.Equal(numbers[0], lease.Number);
    }

    [Fact]
    public async Task Provisioning_writes_no_grain_state_until_a_number_is_leased()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 10);
        await Grains.GetGrain<INumberGrain>(numbers[0]).GetAsync();
        var rowsBefore = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE state_name = 'number'");

        await OpenAsync(poolId);
        var rowsAfter = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE state_name = 'number'");

        Assert.Equal(rowsBefore + 1, rowsAfter);
    }

    private async Task<IReadOnlyList<NumberInfo>> NumbersOfAsync(string poolId)
    {
        var numbers = await fixture.Database.ScalarAsync<string>($"SELECT string_agg(number, ',') FROM numbers WHERE pool_id = '{poolId}'");
        return await Task.WhenAll(numbers!.Split(',').Select(n => Grains.GetGrain<INumberGrain>(n).GetAsync()));
    }
}
