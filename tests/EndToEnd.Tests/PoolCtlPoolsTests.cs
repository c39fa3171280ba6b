using Pool.Cli;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl pools create|policy|list|show against a real Pool.</summary>
[Collection(PoolCtlTestGroup.Name)]
public sealed class PoolCtlPoolsTests(PoolFixture fixture)
{
    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    [Fact]
    public async Task A_created_pool_has_the_options_given_and_server_defaults_for_the_rest()
    {
        var (pool, _) = PoolFixture.NewPool(0);

        var created = await RunAsync(
            "--json", "pools", "create", pool, "--country", "hk", "--carrier", "CSL", "--region", "Kowloon",
            "--default-ttl", "10m", "--max-lease", "1h", "--cooldown", "0", "--max-uses", "5", "--reuse-window", "30d", "--slide-on-message");

        Assert.Equal((0, ""), (created.Exit, created.Err));
        var json = created.Json;
        Assert.Equal((pool, "HK", "CSL", "Kowloon"), (json.GetProperty("pool").GetString(), json.GetProperty("country").GetString(), json.GetProperty("carrier").GetString(), json.GetProperty("region").GetString()));
        var policy = json.GetProperty("policy");
        Assert.Equal("600s", policy.GetProperty("defaultTtl").GetString());
        Assert.Equal("3600s", policy.GetProperty("maxLeaseTime").GetString());
        Assert.Equal("0s", policy.GetProperty("cooldown").GetString());
        Assert.Equal(5, policy.GetProperty("maxUses").GetInt32());
        Assert.Equal("2592000s", policy.GetProperty("reuseWindow").GetString());
        Assert.True(policy.GetProperty("slideOnMessage").GetBoolean(), "--slide-on-message alone turns sliding on");
        Assert.Equal(3, policy.GetProperty("silentLeaseLimit").GetInt32());
        Assert.Equal(2, policy.GetProperty("badNumberLimit").GetInt32());
        Assert.Equal(60, policy.GetProperty("floodMessagesPerHour").GetInt32());
        Assert.Equal("86400s", policy.GetProperty("quarantine").GetString());
        Assert.Equal(3, policy.GetProperty("maxOffences").GetInt32());
    }

    [Fact]
    public async Task A_pool_created_without_policy_options_never_reuses_a_number_for_a_service()
    {
        var (pool, _) = PoolFixture.NewPool(0);

        var created = await RunAsync("--json", "pools", "create", pool, "-c", "HK");

        Assert.Equal(0, created.Exit);
        var policy = created.Json.GetProperty("policy");
        Assert.Equal(("1200s", "7200s", "300s", 100), (policy.GetProperty("defaultTtl").GetString(), policy.GetProperty("maxLeaseTime").GetString(), policy.GetProperty("cooldown").GetString(), policy.GetProperty("maxUses").GetInt32()));
        Assert.False(policy.TryGetProperty("reuseWindow", out _), "an unset reuse window means never again");
    }

    [Fact]
    public async Task Pools_list_shows_the_pools_of_a_country_as_json_lines_and_as_a_table()
    {
        var (first, _) = PoolFixture.NewPool(0);
        var (second, _) = PoolFixture.NewPool(0);
        await RunAsync("pools", "create", first, "-c", "HK", "--cooldown", "0s", "--reuse-window", "30d");
        await RunAsync("pools", "create", second, "-c", "HK", "--carrier", "SmarTone");

        var json = await RunAsync("--json", "pools", "list", "--country", "HK");
        var table = await RunAsync("pools", "list", "--country", "HK");
        var otherCountry = await RunAsync("--json", "pools", "list", "--country", "SG");

        Assert.Equal((0, ""), (json.Exit, json.Err));
        var names = json.JsonLines.Select(line => line.GetProperty("pool").GetString()).ToList();
        Assert.Contains(first, names);
        Assert.Contains(second, names);
        Assert.All(json.JsonLines, line => Assert.Equal("HK", line.GetProperty("country").GetString()));
        Assert.Equal(0, table.Exit);
        foreach (var column in new[] { "pool", "country", "carrier", "region", "default ttl", "max lease", "cooldown", "max uses", "reuse window" })
        {
            Assert.Contains(column, table.Out, StringComparison.Ordinal);
        }

        Assert.Matches($@"{first}\s*│\s*HK\s*│\s*│\s*│\s*20m\s*│\s*2h\s*│\s*0s\s*│\s*100\s*│\s*30d", table.Out);
        Assert.Matches($@"{second}\s*│\s*HK\s*│\s*SmarTone\s*│\s*│\s*20m\s*│\s*2h\s*│\s*5m\s*│\s*100\s*│\s*never", table.Out);
        Assert.DoesNotContain(otherCountry.JsonLines, line => line.GetProperty("pool").GetString() == first);
    }

    [Fact]
    public async Task Pools_show_gives_the_pool_its_policy_and_how_many_numbers_are_in_each_state()
    {
        var (pool, numbers) = PoolFixture.NewPool(3);
        await RunAsync("pools", "create", pool, "-c", "HK", "--max-uses", "9");
        await RunAsync(["numbers", "add", "-c", "HK", "-p", pool, .. numbers]);
        await RunAsync("lease", "-c", "HK", "-p", pool, "-s", "telegram");

        var shown = await Eventually.ReturnsAsync(
            () => RunAsync("--json", "pools", "show", pool),
            run => run.Exit == 0 && run.Json.GetProperty("stats").GetProperty("total").GetInt32() == 3 && run.Json.GetProperty("stats").GetProperty("leased").GetInt32() == 1,
            TimeSpan.FromSeconds(10),
            "pools show to count 3 numbers, 1 of them leased");
        var table = await RunAsync("pools", "show", pool);

        Assert.Equal(9, shown.Json.GetProperty("pool").GetProperty("policy").GetProperty("maxUses").GetInt32());
        var stats = shown.Json.GetProperty("stats");
        Assert.Equal((2, 1, 0, 0, 0), (stats.GetProperty("available").GetInt32(), stats.GetProperty("leased").GetInt32(), stats.GetProperty("cooling").GetInt32(), stats.GetProperty("watchlisted").GetInt32(), stats.GetProperty("retired").GetInt32()));
        Assert.Equal(0, table.Exit);
        Assert.Matches(@"max uses\s*│\s*9", table.Out);
        Assert.Matches(@"available\s*│\s*2", table.Out);
        Assert.Matches(@"leased\s*│\s*1", table.Out);
        Assert.Matches(@"total\s*│\s*3", table.Out);
    }

    [Fact]
    public async Task Pools_show_of_an_unknown_pool_exits_3()
    {
        var (pool, _) = PoolFixture.NewPool(0);

        var shown = await RunAsync("pools", "show", pool);

        Assert.Equal(ExitCodes.NotFound, shown.Exit);
        Assert.Contains(pool, shown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_max_uses_of_0_is_refused_by_the_server_naming_policy_max_uses()
    {
        var (pool, _) = PoolFixture.NewPool(0);

        var created = await RunAsync("pools", "create", pool, "-c", "HK", "--max-uses", "0");

        Assert.Equal(ExitCodes.Usage, created.Exit);
        Assert.Contains("InvalidArgument", created.Err, StringComparison.Ordinal);
        Assert.Contains("  policy.max_uses: ", created.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cooldown_that_is_not_a_duration_is_refused_before_any_call()
    {
        var (pool, _) = PoolFixture.NewPool(0);

        var created = await RunAsync("pools", "create", pool, "-c", "HK", "--cooldown", "soon");
        var shown = await RunAsync("pools", "show", pool);

        Assert.Equal(ExitCodes.Usage, created.Exit);
        Assert.Contains("--cooldown 'soon' is not a duration", created.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, shown.Exit);
    }

    [Fact]
    public async Task A_policy_option_that_is_not_a_whole_number_is_refused_by_the_parser_naming_it()
    {
        var created = await RunAsync("pools", "create", "p", "-c", "HK", "--max-offences", "many");

        Assert.Equal(ExitCodes.Usage, created.Exit);
        Assert.Contains("--max-offences 'many' is not a whole number", created.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pools_policy_changes_only_the_options_given_unless_reset()
    {
        var (pool, _) = PoolFixture.NewPool(0);
        await RunAsync("pools", "create", pool, "-c", "HK", "--max-uses", "5", "--cooldown", "0", "--reuse-window", "30d", "--slide-on-message");

        var changed = await RunAsync("--json", "pools", "policy", pool, "--default-ttl", "30m", "--reuse-window", "never", "--slide-on-message", "false");
        var reset = await RunAsync("--json", "pools", "policy", pool, "--reset", "--max-uses", "7");

        Assert.Equal((0, ""), (changed.Exit, changed.Err));
        var policy = changed.Json.GetProperty("policy");
        Assert.Equal(("1800s", 5, "0s"), (policy.GetProperty("defaultTtl").GetString(), policy.GetProperty("maxUses").GetInt32(), policy.GetProperty("cooldown").GetString()));
        Assert.False(policy.TryGetProperty("reuseWindow", out _), "--reuse-window never clears the reuse window");
        Assert.False(policy.GetProperty("slideOnMessage").GetBoolean(), "--slide-on-message false turns sliding off");
        Assert.Equal(0, reset.Exit);
        var defaults = reset.Json.GetProperty("policy");
        Assert.Equal(("1200s", 7, "300s"), (defaults.GetProperty("defaultTtl").GetString(), defaults.GetProperty("maxUses").GetInt32(), defaults.GetProperty("cooldown").GetString()));
    }

    [Fact]
    public async Task Pools_policy_without_any_option_changes_nothing_and_exits_2()
    {
        var policy = await RunAsync("pools", "policy", "some-pool");

        Assert.Equal(ExitCodes.Usage, policy.Exit);
        Assert.Contains("no policy option given", policy.Err, StringComparison.Ordinal);
    }
}
