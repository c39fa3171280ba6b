using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Pool.Testing;

namespace Pool.Grains.Tests.Routes;

/// <summary>
/// A one-silo cluster with a scripted carrier gateway and a domain clock the tests move. One silo, so
/// that a route's breaker is seen by the one silo cache that routes every message of a test (with
/// several silos, another silo learns a change within the route refresh interval or on its next outcome).
/// </summary>
public sealed class RoutesClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public ScriptedGateway Gateway { get; } = new();

    public TestDatabase Database { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Cluster = await PoolCluster.StartAsync(Database, $"rte-{Guid.NewGuid():n}"[..16], silos: 1, clock: Clock, gateway: Gateway);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}
