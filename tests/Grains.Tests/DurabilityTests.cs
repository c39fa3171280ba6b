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
}
