using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Core.Internal;
using Pool.Contracts.Errors;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Grains.Inventory;
using Pool.Testing;

namespace Pool.Grains.Tests.Projections;

/// <summary>
/// The projections and the records of numbers and leases converge to the grains' truth by themselves:
/// lost projection changes, a number held by a lease that never recorded it, a lease whose end was not
/// recorded, and leases nobody releases (real clock: the timers and the reconciler run as in production).
/// </summary>
public sealed class ProjectionRepairTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan RepairBound = ProjectionReconciler.Period + ProjectionReconciler.Settle + TimeSpan.FromSeconds(10);

    private IGrainFactory Grains => fixture.Grains;

    private Task<LeaseInfo> OpenAsync(string poolId, TimeSpan ttl) =>
        Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest("acme", "HK", poolId, "telegram", ttl));

    private Task<string?> RowAsync(string sql) => fixture.Database.ScalarAsync<string>(sql);

    [Fact]
    public async Task Projection_rows_that_lost_their_last_change_are_repaired_by_the_reconciler()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await OpenAsync(poolId, TimeSpan.FromMinutes(20));
        await Grains.GetGrain<ILeaseGrain>(lease.LeaseId).ReleaseAsync("acme", LeaseOutcome.Completed);
        await Eventually.ReturnsAsync(
            () => RowAsync($"SELECT status || '/' || revision FROM numbers WHERE number = '{lease.Number}'"), r => r == "available/2", TimeSpan.FromSeconds(10), "the released number in the projection");

        // As if the silo died holding the release: the number's row still says leased, the lease has no row.
        await fixture.Database.ExecuteAsync($"UPDATE numbers SET status = 'leased', revision = 1, lease_id = '{lease.LeaseId}' WHERE number = '{lease.Number}'");
        await fixture.Database.ExecuteAsync($"DELETE FROM leases WHERE lease_id = '{lease.LeaseId}'");
        await fixture.Database.ExecuteAsync("UPDATE projection_watermark SET through = '2000-01-01'");

        var number = await Eventually.ReturnsAsync(
            () => RowAsync($"SELECT status || '/' || revision || '/' || coalesce(lease_id, '-') FROM numbers WHERE number = '{lease.Number}'"),
            r => r == "available/2/-", RepairBound, "the reconciler to re-project the number from its state");
        var leaseRow = await Eventually.ReturnsAsync(
            () => RowAsync($"SELECT status || '/' || outcome FROM leases WHERE lease_id = '{lease.LeaseId}'"),
            r => r == "ended/completed", RepairBound, "the reconciler to re-project the lease from its state");

        Assert.Equal("available/2/-", number);
        Assert.Equal("ended/completed", leaseRow);
    }

    [Fact]
    public async Task A_stopping_writer_writes_everything_its_journal_holds()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 2);
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        var journal = new ProjectionJournal();
        using var writer = new ProjectionWriter(journal, new NumberInventory(dataSource), NullLogger<ProjectionWriter>.Instance);
        var at = DateTimeOffset.UtcNow;
        journal.Number(new NumberProjection(numbers[0], NumberStatus.Retired, null, "probe", 7, 100, at));
        journal.Number(new NumberProjection(numbers[1], NumberStatus.Watchlisted, at.AddHours(1), "probe", 3, 100, at));

        // Never started: only the stopping path can have written them.
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(0, journal.Count);
        Assert.Equal("retired/100", await RowAsync($"SELECT status || '/' || revision FROM numbers WHERE number = '{numbers[0]}'"));
        Assert.Equal("watchlisted/100", await RowAsync($"SELECT status || '/' || revision FROM numbers WHERE number = '{numbers[1]}'"));
        Assert.Equal(poolId, await RowAsync($"SELECT pool_id FROM numbers WHERE number = '{numbers[0]}'"));
    }

    [Fact]
    public void A_batch_that_failed_goes_back_to_the_journal_without_overwriting_a_newer_change()
    {
        var journal = new ProjectionJournal();
        var at = DateTimeOffset.UtcNow;
        for (var revision = 1; revision <= 500; revision++)
        {
            journal.Number(new NumberProjection("+85251234567", NumberStatus.Leased, at, null, revision, revision, at));
        }

        var (failed, _) = journal.TakeAll();
        journal.Number(new NumberProjection("+85251234567", NumberStatus.Available, null, null, 501, 501, at));
        journal.Number(new NumberProjection("+85251234568", NumberStatus.Available, null, null, 1, 1, at));
        journal.Restore(failed, []);
        var (kept, _) = journal.TakeAll();

        Assert.Equal(500, Assert.Single(failed).Revision);
        Assert.Equal(2, kept.Count);
        Assert.Equal(501, kept.Single(n => n.Number == "+85251234567").Revision);
    }

    [Fact]
    public async Task A_number_held_by_a_lease_that_never_recorded_it_frees_itself_when_it_activates()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1);
        var leaseId = LeaseIds.NewRandom();
        // The number's write of the grant succeeded; the lease's write did not, nor did its rollback.
        var grant = await Grains.GetGrain<INumberGrain>(numbers[0]).TryLeaseAsync(new LeaseTerms(leaseId, "acme", poolId, "telegram", DateTimeOffset.UtcNow.AddMinutes(20)));
        Assert.Equal(LeaseGrant.Yes, grant);
        Assert.Equal(NumberStatus.Leased, (await Grains.GetGrain<INumberGrain>(numbers[0]).GetAsync()).Status);

        await Grains.GetGrain<INumberGrain>(numbers[0]).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var freed = await Eventually.ReturnsAsync(
            () => Grains.GetGrain<INumberGrain>(numbers[0]).GetAsync(), n => n.Status == NumberStatus.Available, TimeSpan.FromSeconds(10),
            "the reactivated number to ask its lease and free itself");
        var missing = await Assert.ThrowsAsync<PoolException>(() => Grains.GetGrain<ILeaseGrain>(leaseId).GetAsync("acme"));
        var next = await Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest("acme", "HK", poolId, "whatsapp", TimeSpan.FromMinutes(20)));

        Assert.Null(freed.LeaseId);
        Assert.Equal(PoolErrorCode.NotFound, missing.Code);
        Assert.Equal(numbers[0], next.Number);
    }

    [Fact]
    public async Task A_number_whose_lease_never_recorded_it_frees_itself_soon_after_the_deadline_without_any_call()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(1);
        await Grains.GetGrain<INumberGrain>(numbers[0]).TryLeaseAsync(new LeaseTerms(LeaseIds.NewRandom(), "acme", poolId, "telegram", deadline));

        var row = await Eventually.ReturnsAsync(
            () => RowAsync($"SELECT status FROM numbers WHERE number = '{numbers[0]}'"), s => s == "available",
            TimeSpan.FromSeconds(1) + NumberGrainCheck + TimeSpan.FromSeconds(5), "the number to ask its lease after the deadline and free itself");

        Assert.Equal("available", row);
    }

    private static TimeSpan NumberGrainCheck => Numbers.NumberGrain.LeaseCheckGrace;

    [Fact]
    public async Task A_lease_whose_end_was_not_recorded_records_the_end_its_number_made_when_it_activates()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await OpenAsync(poolId, TimeSpan.FromMinutes(20));
        // The release freed the number; the lease's own write of its end was lost with its silo.
        await Grains.GetGrain<INumberGrain>(lease.Number).EndLeaseAsync(lease.LeaseId, LeaseOutcome.BadNumber, 0);
        var numberEnded = await Grains.GetGrain<INumberGrain>(lease.Number).GetAsync();
        await Grains.GetGrain<ILeaseGrain>(lease.LeaseId).AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        var reread = await Eventually.ReturnsAsync(
            () => Grains.GetGrain<ILeaseGrain>(lease.LeaseId).GetAsync("acme"), l => l.Status == LeaseStatus.Ended, TimeSpan.FromSeconds(10),
            "the reactivated lease to learn its end from its number");
        var row = await Eventually.ReturnsAsync(
            () => RowAsync($"SELECT status || '/' || outcome FROM leases WHERE lease_id = '{lease.LeaseId}'"), r => r == "ended/bad_number",
            TimeSpan.FromSeconds(10), "the lease's row to show the end");

        Assert.Null(numberEnded.LeaseId);
        Assert.Equal(LeaseOutcome.BadNumber, reread.Outcome);
        Assert.Equal("ended/bad_number", row);
    }

    [Fact]
    public async Task An_abandoned_lease_is_ended_by_its_timer_within_a_second_of_its_deadline()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await OpenAsync(poolId, TimeSpan.FromSeconds(2));

        // Nothing calls the lease: only its timer can end it this soon (the sweep runs once a minute).
        var row = await Eventually.ReturnsAsync(
            () => RowAsync($"SELECT status || '/' || coalesce(outcome, '-') FROM leases WHERE lease_id = '{lease.LeaseId}'"), r => r == "ended/expired",
            TimeSpan.FromSeconds(6), "the lease's timer to expire it and the row to show it");
        var lateness = await fixture.Database.ScalarAsync<double>(
            $"SELECT extract(epoch FROM ended_at - expires_at)::float8 FROM leases WHERE lease_id = '{lease.LeaseId}'");
        var number = await RowAsync($"SELECT status FROM numbers WHERE number = '{lease.Number}'");

        Assert.Equal("ended/expired", row);
        Assert.InRange(lateness, 0, 1);
        Assert.Equal("available", number);
    }
}
