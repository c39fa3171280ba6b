using System.Globalization;
using Pool.Cli;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl numbers watchlist|reinstate|retire|show against a real Pool.</summary>
[Collection(PoolCtlTestGroup.Name)]
public sealed class PoolCtlNumberLifeTests(PoolFixture fixture)
{
    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    private async Task<string> AddOneAsync()
    {
        var (pool, numbers) = PoolFixture.NewPool(1);
        var added = await RunAsync("numbers", "add", "-c", "HK", "-p", pool, numbers[0]);
        Assert.Equal((0, ""), (added.Exit, added.Err));
        return numbers[0];
    }

    private async Task<string> StateOfAsync(string number)
    {
        var shown = await RunAsync("--json", "numbers", "show", number);
        Assert.Equal(0, shown.Exit);
        return shown.Json.GetProperty("state").GetString()!;
    }

    [Fact]
    public async Task Numbers_move_moves_a_number_to_another_pool_and_refuses_an_unknown_pool()
    {
        var number = await AddOneAsync();
        var (target, _) = PoolFixture.NewPool(0);
        var created = await RunAsync("pools", "create", target, "--country", "HK");

        var moved = await RunAsync("--json", "numbers", "move", number, "--pool", target);
        var unknown = await RunAsync("numbers", "move", number, "--pool", "no-such-pool");

        Assert.Equal(0, created.Exit);
        Assert.Equal((0, target), (moved.Exit, moved.Json.GetProperty("pool").GetString()));
        Assert.Equal(ExitCodes.NotFound, unknown.Exit);
        Assert.Contains("'no-such-pool' does not exist", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watchlist_reinstate_and_retire_take_a_number_through_its_states()
    {
        var number = await AddOneAsync();

        var watchlisted = await RunAsync("--json", "numbers", "watchlist", number, "--reason", "complaint from carrier", "--for", "6h");
        var whileWatchlisted = await RunAsync("--json", "numbers", "show", number);
        var table = await RunAsync("numbers", "show", number);
        var reinstated = await RunAsync("--json", "numbers", "reinstate", number);
        var afterReinstate = await StateOfAsync(number);
        var retired = await RunAsync("--json", "numbers", "retire", number, "--reason", "carrier recalled the range");
        var afterRetire = await RunAsync("--json", "numbers", "show", number);

        Assert.Equal((0, ""), (watchlisted.Exit, watchlisted.Err));
        Assert.Equal("NUMBER_STATE_WATCHLISTED", whileWatchlisted.Json.GetProperty("state").GetString());
        Assert.EndsWith("complaint from carrier", whileWatchlisted.Json.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var until = DateTimeOffset.Parse(whileWatchlisted.Json.GetProperty("until").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(until, DateTimeOffset.UtcNow.AddHours(5.9), DateTimeOffset.UtcNow.AddHours(6));
        Assert.Matches(@"state\s*│\s*watchlisted\s", table.Out);
        Assert.Matches(@"reason\s*│[^\n]*complaint from carrier", table.Out);
        Assert.Matches(@"until\s*│\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", table.Out);
        Assert.Matches(@"offences\s*│\s*0\s", table.Out);
        Assert.Matches(@"served services\s*│\s*none", table.Out);
        Assert.Equal((0, "NUMBER_STATE_AVAILABLE"), (reinstated.Exit, reinstated.Json.GetProperty("state").GetString()));
        Assert.Equal("NUMBER_STATE_AVAILABLE", afterReinstate);
        Assert.Equal(0, retired.Exit);
        Assert.Equal("NUMBER_STATE_RETIRED", afterRetire.Json.GetProperty("state").GetString());
        Assert.EndsWith("carrier recalled the range", afterRetire.Json.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watchlisting_until_a_given_time_ends_the_quarantine_then()
    {
        var number = await AddOneAsync();
        var end = DateTimeOffset.UtcNow.AddDays(30).Date;

        var watchlisted = await RunAsync("--json", "numbers", "watchlist", number, "-r", "audit", "--until", end.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

        Assert.Equal((0, ""), (watchlisted.Exit, watchlisted.Err));
        Assert.Equal(new DateTimeOffset(end, TimeSpan.Zero), DateTimeOffset.Parse(watchlisted.Json.GetProperty("until").GetString()!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Reinstating_a_retired_number_is_rejected_with_exit_5()
    {
        var number = await AddOneAsync();
        await RunAsync("numbers", "retire", number, "--reason", "broken SIM");

        var reinstated = await RunAsync("numbers", "reinstate", number);

        Assert.Equal(ExitCodes.Rejected, reinstated.Exit);
        Assert.Contains("FailedPrecondition", reinstated.Err, StringComparison.Ordinal);
        Assert.Equal("NUMBER_STATE_RETIRED", await StateOfAsync(number));
    }

    [Fact]
    public async Task Watchlist_refuses_both_until_and_for_before_any_call()
    {
        var number = await AddOneAsync();

        var watchlisted = await RunAsync("numbers", "watchlist", number, "-r", "x", "--until", "2030-01-01T00:00:00Z", "--for", "6h");

        Assert.Equal(ExitCodes.Usage, watchlisted.Exit);
        Assert.Contains("--until and --for cannot be used together", watchlisted.Err, StringComparison.Ordinal);
        Assert.Equal("NUMBER_STATE_AVAILABLE", await StateOfAsync(number));
    }

    [Theory]
    [InlineData("--until", "next week", "--until 'next week' is not a time")]
    [InlineData("--for", "a while", "--for 'a while' is not a duration")]
    public async Task Watchlist_names_an_option_it_cannot_read(string option, string value, string expected)
    {
        var watchlisted = await RunAsync("numbers", "watchlist", "+85260000000", "-r", "x", option, value);

        Assert.Equal(ExitCodes.Usage, watchlisted.Exit);
        Assert.Contains(expected, watchlisted.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reason_is_required_to_retire()
    {
        var retired = await RunAsync("numbers", "retire", "+85260000000");

        Assert.Equal(ExitCodes.Usage, retired.Exit);
        Assert.Contains("--reason", retired.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbers_show_lists_the_services_a_number_served()
    {
        var (pool, numbers) = PoolFixture.NewPool(1);
        await RunAsync("pools", "create", pool, "-c", "HK", "--cooldown", "0");
        await RunAsync("numbers", "add", "-c", "HK", "-p", pool, numbers[0]);
        var lease = await RunAsync("--json", "lease", "-c", "HK", "-p", pool, "-s", "telegram");
        await RunAsync("release", lease.Json.GetProperty("leaseId").GetString()!);

        var json = await RunAsync("--json", "numbers", "show", numbers[0]);
        var table = await RunAsync("numbers", "show", numbers[0]);

        Assert.True(json.Json.GetProperty("servedServices").TryGetProperty("telegram", out _), json.Out);
        Assert.Matches(@"served services\s*│\s*telegram \(last \d{4}-", table.Out);
        Assert.Matches(@"uses\s*│\s*1\s", table.Out);
    }
}
