using System.Text.Json;
using Pool.Cli;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl run as an operator runs it, against a real Pool.</summary>
public sealed class PoolCtlTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    [Fact]
    public async Task Numbers_add_then_lease_then_release_work_from_the_command_line()
    {
        var (pool, numbers) = PoolFixture.NewPool(2);

        var add = await RunAsync(["numbers", "add", "--country", "HK", "--pool", pool, .. numbers]);
        var lease = await RunAsync("--json", "lease", "--country", "hk", "--pool", pool, "--service", "telegram", "--ttl", "15m");
        var leaseJson = JsonDocument.Parse(lease.Out).RootElement;
        var leaseId = leaseJson.GetProperty("leaseId").GetString()!;
        var show = await RunAsync("leases", "show", leaseId);
        var release = await RunAsync("--json", "release", leaseId, "--outcome", "bad-number");

        Assert.Equal((0, ""), (add.Exit, add.Err));
        Assert.Matches(@"added\s*│\s*2", add.Out);
        Assert.Equal((0, ""), (lease.Exit, lease.Err));
        Assert.Contains(leaseJson.GetProperty("number").GetString(), numbers);
        Assert.Equal("LEASE_STATE_ACTIVE", leaseJson.GetProperty("state").GetString());
        Assert.Equal(0, show.Exit);
        Assert.Contains(leaseId, show.Out, StringComparison.Ordinal);
        Assert.Contains("active", show.Out, StringComparison.Ordinal);
        Assert.Equal(0, release.Exit);
        var released = JsonDocument.Parse(release.Out).RootElement;
        Assert.Equal("LEASE_STATE_ENDED", released.GetProperty("state").GetString());
        Assert.Equal("LEASE_OUTCOME_BAD_NUMBER", released.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Numbers_can_be_read_from_a_file_with_comments()
    {
        var (pool, numbers) = PoolFixture.NewPool(3);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, $"# three numbers\n{numbers[0]}\n\n{numbers[1]}  # second\n{numbers[2]}\n");
        try
        {
            var add = await RunAsync("--json", "numbers", "add", "-c", "HK", "-p", pool, "--file", file);

            Assert.Equal(0, add.Exit);
            Assert.Equal(3, JsonDocument.Parse(add.Out).RootElement.GetProperty("added").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Bad_input_exits_2_and_names_the_field()
    {
        var result = await RunAsync("numbers", "add", "--country", "HK", "+85251234567", "12345");

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Contains("InvalidArgument", result.Err, StringComparison.Ordinal);
        Assert.Contains("numbers[1]: '12345' must start with '+'", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exhausted_pool_exits_4_with_the_reason()
    {
        var (pool, numbers) = PoolFixture.NewPool(1);
        await RunAsync("numbers", "add", "-c", "HK", "-p", pool, numbers[0]);
        await RunAsync("lease", "-c", "HK", "-p", pool, "-s", "telegram");

        var result = await RunAsync("lease", "-c", "HK", "-p", pool, "-s", "telegram");

        Assert.Equal(ExitCodes.Exhausted, result.Exit);
        Assert.Contains($"pool '{pool}': none available", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_ttl_is_refused_before_any_call()
    {
        var result = await RunAsync("lease", "-c", "HK", "-s", "telegram", "--ttl", "soon");

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Contains("--ttl 'soon' is not a duration", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_outcome_is_refused_by_the_parser()
    {
        var result = await RunAsync("release", "ls_0123456789abcdef0123456789abcdef", "--outcome", "done");

        Assert.NotEqual(0, result.Exit);
        Assert.Contains("done", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_api_says_so_and_exits_6()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var port = Pool.Testing.FreePorts.Next();

        var exit = await PoolCtl.RunAsync(["--api", $"http://127.0.0.1:{port}", "leases", "show", "ls_0123456789abcdef0123456789abcdef"], output, error, environment: PoolCtlRunner.NoEnvironment);

        Assert.Equal(ExitCodes.Unavailable, exit);
        Assert.Contains($"cannot reach the Pool API at http://127.0.0.1:{port}", error.ToString(), StringComparison.Ordinal);
    }
}
