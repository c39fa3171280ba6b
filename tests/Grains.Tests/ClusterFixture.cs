using Orleans.TestingHost;
using Pool.Testing;

namespace Pool.Grains.Tests;

/// <summary>One database and one two-silo cluster shared by the tests of a class; tests use their own pools.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public string ServiceId { get; } = $"svc-{Guid.NewGuid():n}"[..16];

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Cluster = await PoolCluster.StartAsync(Database, ServiceId);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}
