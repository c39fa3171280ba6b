using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Grains.Numbers;
using Pool.Grains.Persistence;
using Pool.Testing;

namespace Pool.Grains.Tests;

/// <summary>What must survive: state, reminders and membership on our own PostgreSQL schema.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _serviceId = $"svc-{Guid.NewGuid():n}"[..16];

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Both_silos_of_a_cluster_appear_active_in_the_membership_table()
    {
        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId);

        var active = await _database.ScalarAsync<long>("SELECT count(*) FROM OrleansMembershipTable WHERE Status = 3");
        var versionRows = await _database.ScalarAsync<long>("SELECT count(*) FROM OrleansMembershipVersionTable");

        Assert.Equal(2, active);
        Assert.Equal(1, versionRows);
    }

    [Fact]
    public async Task A_storage_write_with_a_stale_version_is_rejected_and_changes_nothing()
    {
        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        var storage = ((InProcessSiloHandle)cluster.Silos[0]).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(PoolStorage.Name);
        var grainId = GrainId.Create("number", "+85255550000");
        const string stateName = "stale-write-probe";

        var current = new GrainState<NumberState>(new NumberState { PoolId = "first", Country = "HK" });
        await storage.WriteStateAsync(stateName, grainId, current);
        var staleCopy = new GrainState<NumberState>(new NumberState { PoolId = "stale", Country = "HK" }) { ETag = current.ETag };
        current.State!.PoolId = "second";
        await storage.WriteStateAsync(stateName, grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, staleCopy));
        var blindInsert = new GrainState<NumberState>(new NumberState { PoolId = "blind", Country = "HK" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, blindInsert));

        var stored = new GrainState<NumberState>(new NumberState());
        await storage.ReadStateAsync(stateName, grainId, stored);
        Assert.Equal("second", stored.State!.PoolId);
        Assert.Equal(current.ETag, stored.ETag);
    }

    [Fact]
    public async Task Leases_survive_a_restart_of_the_whole_cluster()
    {
        LeaseInfo lease;
        await using (var before = await PoolCluster.StartAsync(_database, _serviceId))
        {
            var (poolId, _) = await TestPools.CreateAsync(before.Client, 2);
            lease = await before.Client.GetGrain<ILeaseGrain>(LeaseIds.NewRandom())
                .OpenAsync(new LeaseRequest("acme", "HK", poolId, "telegram", TimeSpan.FromMinutes(20)));
            await before.StopAllSilosAsync();
        }

        await using var after = await PoolCluster.StartAsync(_database, _serviceId);
        var reloaded = await after.Client.GetGrain<ILeaseGrain>(lease.LeaseId).GetAsync("acme");
        var number = await after.Client.GetGrain<INumberGrain>(lease.Number).GetAsync();
        var second = await after.Client.GetGrain<ILeaseGrain>(LeaseIds.NewRandom())
            .OpenAsync(new LeaseRequest("acme", "HK", lease.PoolId, "telegram", TimeSpan.FromMinutes(20)));

        Assert.Equal(lease, reloaded);
        Assert.Equal(NumberStatus.Leased, number.Status);
        Assert.Equal(lease.LeaseId, number.LeaseId);
        Assert.NotEqual(lease.Number, second.Number);
    }

    [Fact]
    public async Task A_reminder_fires_again_after_the_silos_restart_without_any_call()
    {
        var key = $"probe-{Guid.NewGuid():n}";
        await using (var before = await PoolCluster.StartAsync(_database, _serviceId, silos: 1))
        {
            await before.Client.GetGrain<IReminderProbeGrain>(key).StartAsync(TimeSpan.FromSeconds(1));
            await Eventually.ReturnsAsync(() => Task.FromResult(ReminderProbeGrain.Ticks.GetValueOrDefault(key)), n => n >= 1, TimeSpan.FromSeconds(30), "the reminder to tick before the restart");
            await before.StopAllSilosAsync();
        }

        var ticksAtRestart = ReminderProbeGrain.Ticks.GetValueOrDefault(key);
        Assert.Equal(1, await _database.ScalarAsync<long>($"SELECT count(*) FROM OrleansRemindersTable WHERE GrainId LIKE '%{key}%'"));

        await using var after = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        await Eventually.ReturnsAsync(
            () => Task.FromResult(ReminderProbeGrain.Ticks.GetValueOrDefault(key)),
            n => n > ticksAtRestart,
            TimeSpan.FromSeconds(60),
            "the reminder to tick again after the restart, with no call to the grain");
        await after.Client.GetGrain<IReminderProbeGrain>(key).StopAsync();
    }

    [Fact]
    public async Task A_lease_expires_even_after_the_silo_that_held_it_was_killed()
    {
        string leaseId;
        await using (var before = await PoolCluster.StartAsync(_database, _serviceId, silos: 1))
        {
            var (poolId, _) = await TestPools.CreateAsync(before.Client, 1);
            var lease = await before.Client.GetGrain<ILeaseGrain>(LeaseIds.NewRandom())
                .OpenAsync(new LeaseRequest("acme", "HK", poolId, "telegram", TimeSpan.FromSeconds(5)));
            leaseId = lease.LeaseId;
            await Eventually.ReturnsAsync(
                () => _database.ScalarAsync<long>($"SELECT count(*) FROM leases WHERE lease_id = '{leaseId}'"), n => n == 1, TimeSpan.FromSeconds(10), "the lease to reach the projection");
            await Eventually.ReturnsAsync(
                () => _database.ScalarAsync<string>($"SELECT status FROM numbers WHERE number = '{lease.Number}'"), s => s == "leased", TimeSpan.FromSeconds(10), "the leased number to reach the projection");
            await before.KillSiloAsync(before.Silos[0]);
        }

        // Nothing calls the lease: only the pool's expiry sweep, driven by a durable reminder, can end it.
        await using var after = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        var outcome = await Eventually.ReturnsAsync(
            () => _database.ScalarAsync<string>($"SELECT coalesce(outcome, status) FROM leases WHERE lease_id = '{leaseId}'"),
            o => o == "expired",
            TimeSpan.FromSeconds(150),
            "the pool's expiry sweep to expire the lease after the restart");

        Assert.Equal("expired", outcome);
    }

    [Fact]
    public async Task No_number_is_leased_twice_when_a_silo_dies_in_the_middle_of_allocations()
    {
        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId);
        var (poolId, _) = await TestPools.CreateAsync(cluster.Client, 40);
        var secondary = cluster.SecondarySilos[0];

        var requests = Enumerable.Range(0, 120).Select(async i =>
        {
            await Task.Delay(i * 5);
            try
            {
                return await cluster.Client.GetGrain<ILeaseGrain>(LeaseIds.NewRandom())
                    .OpenAsync(new LeaseRequest("acme", "HK", poolId, "telegram", TimeSpan.FromMinutes(20)));
            }
            catch (Exception)
            {
                return null; // refused (exhausted) or lost with the dead silo: either way no lease
            }
        }).ToList();
        await Task.Delay(150);
        await cluster.KillSiloAsync(secondary);
        var leases = (await Task.WhenAll(requests)).OfType<LeaseInfo>().ToList();

        Assert.NotEmpty(leases);
        Assert.Equal(leases.Count, leases.Select(l => l.Number).Distinct().Count());
        foreach (var lease in leases)
        {
            var number = await cluster.Client.GetGrain<INumberGrain>(lease.Number).GetAsync();
            Assert.Equal(lease.LeaseId, number.LeaseId);
        }
    }
}
