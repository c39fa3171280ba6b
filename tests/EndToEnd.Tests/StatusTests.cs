using System.Text.Json;
using Pool.Cli;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>`poolctl status` and pool.v1.Operations/GetStatus against a running Pool with the carrier simulator.</summary>
[Collection(ObservedPoolGroup.Name)]
public sealed class StatusTests(ObservedPoolFixture fixture)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private async Task<ClusterStatus> StatusAsync() => await new Operations.OperationsClient(fixture.Admin).GetStatusAsync(new GetStatusRequest());

    [Fact]
    public async Task Status_shows_the_silo_the_pools_counts_moving_with_a_lease_the_route_the_binds_and_the_webhook_backlog()
    {
        var (pool, numbers) = ObservedPoolFixture.NewPool(4);
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        var before = (await StatusAsync()).Pools.Single(p => p.Pool == pool);
        await new Leases.LeasesClient(fixture.Admin).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        // The counts come from the numbers table, written behind the grains within moments.
        var after = await Eventually.ReturnsAsync(
            async () => (await StatusAsync()).Pools.Single(p => p.Pool == pool), p => p.Leased == 1, s_wait, $"one number of {pool} leased in the status");
        var status = await Eventually.ReturnsAsync(
            StatusAsync, s => s.Binds.Count(b => b.State == "bound" && !b.Stale) == 2, s_wait, "both simulator binds reported bound");

        var screen = await fixture.PoolCtlAsync("status");
        var json = await fixture.PoolCtlAsync("--json", "status");

        Assert.Equal((4, 0, 100.0), (before.Available, before.Leased, before.PercentAvailable));
        Assert.Equal((3, 1, 75.0), (after.Available, after.Leased, after.PercentAvailable));
        var silo = Assert.Single(status.Silos);
        Assert.Equal("Active", silo.Status);
        Assert.True(silo.Activations > 0, "the active silo's activations counted");
        var route = Assert.Single(status.Routes, r => r.Route == "hk-sim");
        Assert.Equal(("sim-a", "healthy", "closed", "none"), (route.Connection, route.State, route.Circuit, route.Override));
        Assert.All(status.Binds, b => Assert.Equal(10, b.WindowSize));
        Assert.Equal(["sim-a", "sim-b"], status.Binds.Select(b => b.Connection));
        Assert.NotNull(status.Webhooks);

        Assert.True(screen.Exit == 0, screen.ToString());
        foreach (var heading in new[] { "Silos", "Pools", "Routes", "Webhooks", "SMPP binds" })
        {
            Assert.Contains(heading, screen.Out, StringComparison.Ordinal);
        }

        Assert.Contains(pool, screen.Out, StringComparison.Ordinal);
        Assert.Matches(@"hk-sim\s*│\s*sim-a\s*│\s*healthy", screen.Out);
        Assert.Matches(@"sim-a\s*│[^│]+│\s*bound\s*│\s*\d+/10", screen.Out);
        Assert.Contains("backlog:", screen.Out, StringComparison.Ordinal);
        Assert.Contains("Active", screen.Out, StringComparison.Ordinal);

        Assert.True(json.Exit == 0, json.ToString());
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal("Active", root.GetProperty("silos")[0].GetProperty("status").GetString());
        var listed = root.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("pool").GetString() == pool);
        Assert.True(listed.GetProperty("leased").GetInt32() >= 1);
        Assert.Equal(2, root.GetProperty("binds").GetArrayLength());
        Assert.True(root.GetProperty("webhooks").TryGetProperty("pending", out _));
        Assert.DoesNotContain(numbers[0][1..], json.Out, StringComparison.Ordinal);
    }
}

/// <summary>`poolctl status` while PostgreSQL is down: UNAVAILABLE, exit code 6, not a crash.</summary>
public sealed class StatusOutageTests
{
    [Fact]
    public async Task With_PostgreSQL_down_status_exits_6_as_unavailable_and_works_again_once_it_is_back()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        var database = await TestDatabase.CreateAsync(postgres.ServerConnectionString);
        var pool = await PoolProcess.StartAsync(database, $"so-{Guid.NewGuid():n}"[..16]);
        var stopped = false;
        try
        {
            var up = await PoolCtlRunner.RunOnAsync(pool, pool.AdminKey, ["status"]);
            await postgres.StopAsync();
            stopped = true;
            var down = await PoolCtlRunner.RunOnAsync(pool, pool.AdminKey, ["status"]);
            await postgres.StartAgainAsync();
            stopped = false;
            var back = await Eventually.ReturnsAsync(
                () => PoolCtlRunner.RunOnAsync(pool, pool.AdminKey, ["--json", "status"]), run => run.Exit == 0, TimeSpan.FromSeconds(60), "status once PostgreSQL is back");

            Assert.True(up.Exit == 0, up.ToString());
            Assert.True(down.Exit == ExitCodes.Unavailable, down.ToString());
            Assert.Contains("Unavailable", down.Err, StringComparison.Ordinal);
            Assert.Equal(0, back.Exit);
        }
        finally
        {
            if (stopped)
            {
                await postgres.StartAgainAsync();
            }

            await pool.DisposeAsync();
        }
    }
}
