using Pool.Cli;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl tenants show|limits.</summary>
[Collection(PoolCtlTestGroup.Name)]
public sealed class PoolCtlTenantLimitsTests(PoolFixture fixture)
{
    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    [Fact]
    public async Task Tenants_limits_changes_only_the_given_limits_and_show_prints_them()
    {
        var tenant = $"lim-{Guid.NewGuid():n}"[..14];
        await RunAsync("tenants", "create", tenant, "--name", "Limits Ltd");

        var set = await RunAsync("--json", "tenants", "limits", tenant, "--requests-per-second", "7", "--scan-cooloff", "30m");
        var again = await RunAsync("--json", "tenants", "limits", tenant, "--max-active-leases", "3");
        var shown = await RunAsync("tenants", "show", tenant);

        Assert.Equal((0, ""), (set.Exit, set.Err));
        Assert.Equal(7, set.Json.GetProperty("limits").GetProperty("requestsPerSecond").GetInt32());
        Assert.Equal("1800s", set.Json.GetProperty("limits").GetProperty("scanCooloff").GetString());
        Assert.Equal(7, again.Json.GetProperty("limits").GetProperty("requestsPerSecond").GetInt32());
        Assert.Equal(3, again.Json.GetProperty("limits").GetProperty("maxActiveLeases").GetInt32());
        Assert.Matches(@"requests/s\s*│\s*7\s", shown.Out);
        Assert.Matches(@"max active leases\s*│\s*3\s", shown.Out);
    }

    [Fact]
    public async Task Tenants_limits_out_of_range_exits_2_naming_the_limit()
    {
        var tenant = $"lim-{Guid.NewGuid():n}"[..14];
        await RunAsync("tenants", "create", tenant, "--name", "Limits Ltd");

        var result = await RunAsync("tenants", "limits", tenant, "--requests-per-second", "0");
        var unknown = await RunAsync("tenants", "show", "no-such-tenant");

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Contains("limits.requests_per_second", result.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.Exit);
    }
}
