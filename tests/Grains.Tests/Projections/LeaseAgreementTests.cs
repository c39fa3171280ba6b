using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Grains.Leases;
using Pool.Testing;

namespace Pool.Grains.Tests.Projections;

/// <summary>The expiry sweep settles numbers and leases that disagree, and an overdue lease reads as expired (on a clock the tests move).</summary>
public sealed class LeaseAgreementTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private static readonly PoolPolicy NoCooldown = PoolPolicy.Default with { Cooldown = TimeSpan.Zero };

    private IGrainFactory Grains => fixture.Grains;

    private Task<LeaseInfo> OpenAsync(string poolId, TimeSpan ttl) =>
        Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest("acme", "HK", poolId, "telegram", ttl));

    [Fact]
    public async Task The_sweep_frees_a_number_held_by_a_lease_that_does_not_exist()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var leaseId = LeaseIds.NewRandom();
        await Grains.GetGrain<INumberGrain>(numbers[0]).TryLeaseAsync(new LeaseTerms(leaseId, "acme", poolId, "telegram", fixture.Clock.GetUtcNow().AddMinutes(20)));
        await Eventually.ReturnsAsync(
            () => fixture.Database.ScalarAsync<string>($"SELECT lease_id FROM numbers WHERE number = '{numbers[0]}'"), l => l == leaseId,
            TimeSpan.FromSeconds(10), "the orphaned grant in the projection");
        fixture.Clock.Advance(ExpirySweepGrain.Settle + TimeSpan.FromSeconds(1));

        var (orphaned, _) = await Grains.GetGrain<IExpirySweepGrain>(poolId).AsReference<ILeaseSweep>().SettleAsync();
        var freed = await Eventually.ReturnsAsync(
            () => Grains.GetGrain<INumberGrain>(numbers[0]).GetAsync(), n => n.Status == NumberStatus.Available, TimeSpan.FromSeconds(10),
            "the number to ask its lease and free itself");

        Assert.Equal(1, orphaned);
        Assert.Null(freed.LeaseId);
    }

    [Fact]
    public async Task The_sweep_makes_an_active_lease_record_the_end_its_number_made()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var lease = await OpenAsync(poolId, TimeSpan.FromMinutes(20));
        await Grains.GetGrain<INumberGrain>(lease.Number).EndLeaseAsync(lease.LeaseId, LeaseOutcome.Completed, 1);
        await Eventually.ReturnsAsync(
            () => fixture.Database.ScalarAsync<string>($"SELECT status FROM numbers WHERE number = '{lease.Number}'"), s => s == "available",
            TimeSpan.FromSeconds(10), "the freed number in the projection");
        // The projection writer may carry the lease's row and the number's in one pass, the number's first: wait for both.
        await Eventually.ReturnsAsync(
            () => fixture.Database.ScalarAsync<string>($"SELECT status FROM leases WHERE lease_id = '{lease.LeaseId}'"), s => s == "active",
            TimeSpan.FromSeconds(10), "the lease's row in the projection");
        var before = await Grains.GetGrain<ILeaseGrain>(lease.LeaseId).GetAsync("acme");
        fixture.Clock.Advance(ExpirySweepGrain.Settle + TimeSpan.FromSeconds(1));

        var (_, unheld) = await Grains.GetGrain<IExpirySweepGrain>(poolId).AsReference<ILeaseSweep>().SettleAsync();
        var after = await Eventually.ReturnsAsync(
            () => Grains.GetGrain<ILeaseGrain>(lease.LeaseId).GetAsync("acme"), l => l.Status == LeaseStatus.Ended, TimeSpan.FromSeconds(10),
            "the lease to learn its end from its number");

        Assert.Equal(LeaseStatus.Active, before.Status);
        Assert.Equal(1, unheld);
        Assert.Equal(LeaseOutcome.Completed, after.Outcome);
    }

    [Fact]
    public async Task A_release_whose_first_answer_was_lost_records_the_end_its_number_made_not_the_retry()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var lease = await OpenAsync(poolId, TimeSpan.FromMinutes(20));
        // The number ended the lease (the first release's call reached it), but its answer never came back.
        var numberEnd = await Grains.GetGrain<INumberGrain>(lease.Number).EndLeaseAsync(lease.LeaseId, LeaseOutcome.Completed, 1);
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));

        var retried = await Grains.GetGrain<ILeaseGrain>(lease.LeaseId).ReleaseAsync("acme", LeaseOutcome.Completed);
        var unknown = await Grains.GetGrain<INumberGrain>(lease.Number).EndLeaseAsync(LeaseIds.NewRandom(), LeaseOutcome.Completed, 1);

        Assert.NotNull(numberEnd);
        Assert.Equal((LeaseStatus.Ended, numberEnd), (retried.Status, retried.EndedAt));
        Assert.Null(unknown);
    }

    [Fact]
    public async Task A_lease_past_its_deadline_reads_as_expired_and_cannot_be_extended()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var lease = await OpenAsync(poolId, TimeSpan.FromMinutes(2));
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));

        var read = await Grains.GetGrain<ILeaseGrain>(lease.LeaseId).GetAsync("acme");
        var extend = await Assert.ThrowsAsync<PoolException>(() => Grains.GetGrain<ILeaseGrain>(lease.LeaseId).ExtendAsync("acme", TimeSpan.FromMinutes(5)));
        var number = await Grains.GetGrain<INumberGrain>(lease.Number).GetAsync();

        Assert.Equal(LeaseStatus.Ended, read.Status);
        Assert.Equal(LeaseOutcome.Expired, read.Outcome);
        Assert.Equal(PoolErrorCode.FailedPrecondition, extend.Code);
        Assert.Equal(NumberStatus.Available, number.Status);
    }
}
