using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Pool.Testing;

namespace Pool.Grains.Tests;

/// <summary>A two-silo cluster whose domain clock (deadlines, cooldowns, quarantines) the tests move by hand.</summary>
public sealed class FakeClockClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public TestDatabase Database { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Cluster = await PoolCluster.StartAsync(Database, $"clk-{Guid.NewGuid():n}"[..16], clock: Clock);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}
