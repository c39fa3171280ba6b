using Pool.Contracts.Routes;
using Pool.Testing;

namespace Pool.Grains.Tests.Routes;

public sealed class RouteDurabilityTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _serviceId = $"rtd-{Guid.NewGuid():n}"[..16];

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Route_definitions_overrides_and_tables_survive_a_restart_of_the_whole_cluster()
    {
        var definition = new RouteDefinition("hk-smpp-a", "smpp-a", ["HK"], ["+8525", "+8526"], 0.012m, 3);
        await using (var first = await PoolCluster.StartAsync(_database, _serviceId, silos: 1))
        {
            await first.Client.GetGrain<ICarrierRouteGrain>("hk-smpp-a").UpsertAsync(definition);
            await first.Client.GetGrain<ICarrierRouteGrain>("hk-smpp-b").UpsertAsync(definition with { RouteId = "hk-smpp-b", Connection = "smpp-b" });
            await first.Client.GetGrain<ICarrierRouteGrain>("hk-smpp-b").SetOverrideAsync(RouteOverride.Drain);
            await first.Client.GetGrain<IRouteTableGrain>("HK").SetAsync(["hk-smpp-a"], ["hk-smpp-b"]);
        }

        await using var second = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);
        var route = await second.Client.GetGrain<ICarrierRouteGrain>("hk-smpp-a").GetAsync();
        var drained = await second.Client.GetGrain<ICarrierRouteGrain>("hk-smpp-b").GetAsync();
        var table = await second.Client.GetGrain<IRouteTableGrain>("HK").GetAsync();
        var listed = await second.Client.GetGrain<IRouteDirectoryGrain>(0).ListRoutesAsync();

        Assert.Equal(definition.Prefixes, route.Definition.Prefixes);
        Assert.Equal(definition with { Prefixes = route.Definition.Prefixes, Countries = route.Definition.Countries }, route.Definition);
        Assert.Equal(RouteOverride.Drain, drained.Override);
        Assert.Equal(RouteHealthSnapshot.Neutral.State, route.Health.State);
        Assert.Equal(["hk-smpp-a"], table.Primary);
        Assert.Equal(["hk-smpp-b"], table.Secondary);
        Assert.Equal(["hk-smpp-a", "hk-smpp-b"], listed.Select(r => r.Definition.RouteId));
    }
}
