using Pool.Cli;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl lease --exclude, extend and leases list against a real Pool.</summary>
[Collection(PoolCtlTestGroup.Name)]
public sealed class PoolCtlLeasesTests(PoolFixture fixture)
{
    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    private async Task<(string Pool, string[] Numbers)> PoolOfAsync(int count)
    {
        var (pool, numbers) = PoolFixture.NewPool(count);
        var added = await RunAsync(["numbers", "add", "-c", "HK", "-p", pool, .. numbers]);
        Assert.Equal((0, ""), (added.Exit, added.Err));
        return (pool, numbers);
    }

    [Fact]
    public async Task Lease_never_takes_a_number_with_an_excluded_prefix()
    {
        var (pool, numbers) = await PoolOfAsync(3);

        var leased = await RunAsync("--json", "lease", "-c", "HK", "-p", pool, "-s", "telegram", "--exclude", numbers[0], "-x", numbers[1]);
        var none = await RunAsync("lease", "-c", "HK", "-p", pool, "-s", "whatsapp", "--exclude", numbers[0], "--exclude", numbers[1]);

        Assert.Equal((0, ""), (leased.Exit, leased.Err));
        Assert.Equal(numbers[2], leased.Json.GetProperty("number").GetString());
        Assert.Equal(ExitCodes.Exhausted, none.Exit);
    }

    [Fact]
    public async Task Extend_pushes_the_expiry_later_by_the_given_time()
    {
        var (pool, _) = await PoolOfAsync(1);
        var leased = await RunAsync("--json", "lease", "-c", "HK", "-p", pool, "-s", "telegram", "--ttl", "10m");
        var leaseId = leased.Json.GetProperty("leaseId").GetString()!;

        var extended = await RunAsync("--json", "extend", leaseId, "--by", "10m");
        var table = await RunAsync("extend", leaseId, "--by", "90s");

        Assert.Equal((0, ""), (extended.Exit, extended.Err));
        var before = leased.Json.GetProperty("expireTime").GetDateTimeOffset();
        var after = extended.Json.GetProperty("expireTime").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromMinutes(10), after - before);
        Assert.Equal(0, table.Exit);
        Assert.Contains(leaseId, table.Out, StringComparison.Ordinal);
        Assert.Matches(@"expires\s*│\s*\d{4}-", table.Out);
    }

    [Fact]
    public async Task Extend_refuses_a_time_that_is_not_a_duration_before_any_call()
    {
        var extended = await RunAsync("extend", "ls_0123456789abcdef0123456789abcdef", "--by", "later");

        Assert.Equal(ExitCodes.Usage, extended.Exit);
        Assert.Contains("--by 'later' is not a duration", extended.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extending_an_ended_lease_is_rejected_with_exit_5()
    {
        var (pool, _) = await PoolOfAsync(1);
        var leased = await RunAsync("--json", "lease", "-c", "HK", "-p", pool, "-s", "telegram");
        var leaseId = leased.Json.GetProperty("leaseId").GetString()!;
        await RunAsync("release", leaseId);

        var extended = await RunAsync("extend", leaseId, "--by", "10m");

        Assert.Equal(ExitCodes.Rejected, extended.Exit);
        Assert.Contains("FailedPrecondition", extended.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leases_list_active_shows_open_leases_and_not_ended_ones()
    {
        var (pool, _) = await PoolOfAsync(2);
        var open = (await RunAsync("--json", "lease", "-c", "HK", "-p", pool, "-s", "telegram")).Json.GetProperty("leaseId").GetString()!;
        var ended = (await RunAsync("--json", "lease", "-c", "HK", "-p", pool, "-s", "telegram")).Json.GetProperty("leaseId").GetString()!;
        await RunAsync("release", ended, "--outcome", "cancelled");

        var active = await Eventually.ReturnsAsync(
            () => RunAsync("--json", "leases", "list", "--active", "--limit", "500"),
            // The list reads the leases table, written behind the grains: it converges to both leases' truth within seconds.
            run => run.Exit == 0 && run.JsonLines.Any(lease => lease.GetProperty("leaseId").GetString() == open)
                && !run.JsonLines.Any(lease => lease.GetProperty("leaseId").GetString() == ended),
            TimeSpan.FromSeconds(15),
            $"leases list --active to show {open} and not the released {ended}");
        var all = await Eventually.ReturnsAsync(
            () => RunAsync("leases", "list", "--limit", "500"),
            run => run.Exit == 0 && run.Out.Contains(ended, StringComparison.Ordinal) && run.Out.Contains("cancelled", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            $"leases list to show {ended} as cancelled");

        Assert.DoesNotContain(active.JsonLines, lease => lease.GetProperty("leaseId").GetString() == ended);
        Assert.All(active.JsonLines, lease => Assert.Equal("LEASE_STATE_ACTIVE", lease.GetProperty("state").GetString()));
        foreach (var column in new[] { "lease", "number", "pool", "service", "state", "outcome", "created", "expires" })
        {
            Assert.Contains(column, all.Out, StringComparison.Ordinal);
        }

        Assert.Matches($@"{ended}\s*│\s*\+852\d+\s*│\s*{pool}\s*│\s*telegram\s*│\s*ended\s*│\s*cancelled\s*│", all.Out);
        Assert.Matches($@"{open}\s*│\s*\+852\d+\s*│\s*{pool}\s*│\s*telegram\s*│\s*active\s*│\s*│", all.Out);
    }

    [Fact]
    public async Task Leases_list_shows_no_more_than_the_limit_newest_first()
    {
        var (pool, _) = await PoolOfAsync(3);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await RunAsync("--json", "lease", "-c", "HK", "-p", pool, "-s", "telegram")).Json.GetProperty("leaseId").GetString()!);
        }

        var listed = await Eventually.ReturnsAsync(
            () => RunAsync("--json", "leases", "list", "--limit", "2"),
            run => run.Exit == 0 && run.JsonLines.Count == 2 && run.JsonLines[0].GetProperty("leaseId").GetString() == ids[2],
            TimeSpan.FromSeconds(10),
            $"leases list --limit 2 to start with the newest lease {ids[2]}");

        Assert.Equal(ids[1], listed.JsonLines[1].GetProperty("leaseId").GetString());
    }

    [Fact]
    public async Task Leases_list_refuses_a_limit_below_1()
    {
        var listed = await RunAsync("leases", "list", "--limit", "0");

        Assert.Equal(ExitCodes.Usage, listed.Exit);
        Assert.Contains("--limit 0 must be at least 1", listed.Err, StringComparison.Ordinal);
    }
}
