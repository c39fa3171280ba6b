using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Testing;

namespace Pool.Grains.Tests;

/// <summary>The life of a number and a lease under a pool's policy, on a clock the tests move.</summary>
public sealed class LifecycleTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private static readonly PoolPolicy NoCooldown = PoolPolicy.Default with { Cooldown = TimeSpan.Zero };

    private IGrainFactory Grains => fixture.Grains;

    private Task<LeaseInfo> OpenAsync(string poolId, string service = "telegram", TimeSpan? ttl = null, params string[] exclude) =>
        Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest("acme", "HK", poolId, service, ttl) { ExcludePrefixes = exclude });

    private Task<LeaseInfo> ReleaseAsync(LeaseInfo lease, LeaseOutcome outcome = LeaseOutcome.Completed) =>
        Grains.GetGrain<ILeaseGrain>(lease.LeaseId).ReleaseAsync("acme", outcome);

    private Task<NumberInfo> NumberAsync(string number) => Grains.GetGrain<INumberGrain>(number).GetAsync();

    private async Task<PoolException> ExhaustedAsync(string poolId, string service = "telegram", params string[] exclude)
    {
        var error = await Assert.ThrowsAsync<PoolException>(() => OpenAsync(poolId, service, null, exclude));
        Assert.Equal(PoolErrorCode.Exhausted, error.Code);
        return error;
    }

    [Fact]
    public async Task A_released_number_cools_down_for_the_pools_cooldown_and_then_serves_again()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, PoolPolicy.Default with { Cooldown = TimeSpan.FromMinutes(5) });
        var first = await OpenAsync(poolId, "telegram");
        var releasedAt = fixture.Clock.GetUtcNow();
        await ReleaseAsync(first);

        var cooling = await NumberAsync(first.Number);
        var refused = await ExhaustedAsync(poolId, "whatsapp");
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await OpenAsync(poolId, "whatsapp");

        Assert.Equal(NumberStatus.Cooling, cooling.Status);
        Assert.Equal(releasedAt + TimeSpan.FromMinutes(5), cooling.Until);
        Assert.Contains("cooling down", refused.Message, StringComparison.Ordinal);
        Assert.Equal(first.Number, second.Number);
    }

    [Fact]
    public async Task A_number_never_serves_the_same_service_twice_by_default()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var first = await OpenAsync(poolId, "telegram");
        await ReleaseAsync(first);

        var refused = await ExhaustedAsync(poolId, "telegram");
        var other = await OpenAsync(poolId, "whatsapp");

        Assert.Contains("1 already used for 'telegram'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(first.Number, other.Number);
        Assert.Equal(["telegram", "whatsapp"], (await NumberAsync(first.Number)).ServedServices.Keys.Order());
    }

    [Fact]
    public async Task With_a_reuse_window_a_number_serves_a_service_again_once_the_window_has_passed()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, NoCooldown with { ReuseWindow = TimeSpan.FromHours(1) });
        await ReleaseAsync(await OpenAsync(poolId, "telegram"));

        await ExhaustedAsync(poolId, "telegram");
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        var again = await OpenAsync(poolId, "telegram");

        Assert.Equal(LeaseStatus.Active, again.Status);
    }

    [Fact]
    public async Task A_number_rotates_out_after_the_pools_maximum_uses()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1, NoCooldown with { MaxUses = 2 });
        await ReleaseAsync(await OpenAsync(poolId, "a"));
        await ReleaseAsync(await OpenAsync(poolId, "b"));

        var number = await NumberAsync(numbers[0]);
        await ExhaustedAsync(poolId, "c");

        Assert.Equal(NumberStatus.Retired, number.Status);
        Assert.Equal("rotated after 2 uses", number.Reason);
        Assert.Equal(2, number.Uses);
    }

    [Fact]
    public async Task Leases_that_receive_no_SMS_put_the_number_on_the_watchlist_until_its_quarantine_ends()
    {
        var policy = NoCooldown with { SilentLeaseLimit = 2, Quarantine = TimeSpan.FromHours(6) };
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1, policy);
        await ReleaseAsync(await OpenAsync(poolId, "a"), LeaseOutcome.Cancelled);
        var afterOne = await NumberAsync(numbers[0]);
        await ReleaseAsync(await OpenAsync(poolId, "b"), LeaseOutcome.Cancelled);

        var watchlisted = await NumberAsync(numbers[0]);
        var refused = await ExhaustedAsync(poolId, "c");
        fixture.Clock.Advance(TimeSpan.FromHours(6));
        var back = await NumberAsync(numbers[0]);
        var lease = await OpenAsync(poolId, "c");

        Assert.Equal(NumberStatus.Available, afterOne.Status);
        Assert.Equal(NumberStatus.Watchlisted, watchlisted.Status);
        Assert.Equal("the last 2 leases received no SMS", watchlisted.Reason);
        Assert.Equal(1, watchlisted.Offences);
        Assert.Contains("in quarantine", refused.Message, StringComparison.Ordinal);
        Assert.Equal(NumberStatus.Available, back.Status);
        Assert.Equal(numbers[0], lease.Number);
    }

    [Fact]
    public async Task A_completed_lease_breaks_a_run_of_silent_leases()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1, NoCooldown with { SilentLeaseLimit = 2 });
        await ReleaseAsync(await OpenAsync(poolId, "a"), LeaseOutcome.Cancelled);
        await ReleaseAsync(await OpenAsync(poolId, "b"), LeaseOutcome.Completed);
        await ReleaseAsync(await OpenAsync(poolId, "c"), LeaseOutcome.Cancelled);

        Assert.Equal(NumberStatus.Available, (await NumberAsync(numbers[0])).Status);
    }

    [Fact]
    public async Task Bad_number_reports_watchlist_the_number_and_repeated_offences_retire_it()
    {
        var policy = NoCooldown with { BadNumberLimit = 1, MaxOffences = 2, Quarantine = TimeSpan.FromMinutes(30) };
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1, policy);
        await ReleaseAsync(await OpenAsync(poolId, "a"), LeaseOutcome.BadNumber);
        var first = await NumberAsync(numbers[0]);
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));
        await ReleaseAsync(await OpenAsync(poolId, "b"), LeaseOutcome.BadNumber);

        var second = await NumberAsync(numbers[0]);

        Assert.Equal(NumberStatus.Watchlisted, first.Status);
        Assert.Equal("reported as bad_number by clients 1 times", first.Reason);
        Assert.Equal(NumberStatus.Retired, second.Status);
        Assert.StartsWith("watchlisted 2 times", second.Reason, StringComparison.Ordinal);
        await ExhaustedAsync(poolId, "c");
    }

    [Fact]
    public async Task Operators_watchlist_reinstate_and_retire_numbers_and_illegal_moves_are_refused()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var grain = Grains.GetGrain<INumberGrain>(numbers[0]);

        var watchlisted = await grain.WatchlistAsync("complaint #12", null);
        await ExhaustedAsync(poolId, "a");
        var reinstated = await grain.ReinstateAsync();
        var lease = await OpenAsync(poolId, "a");
        var retireLeased = await Assert.ThrowsAsync<PoolException>(() => grain.RetireAsync("done"));
        var watchlistLeased = await Assert.ThrowsAsync<PoolException>(() => grain.WatchlistAsync("x", null));
        await ReleaseAsync(lease);
        var retired = await grain.RetireAsync("carrier ended the contract");
        var retireAgain = await Assert.ThrowsAsync<PoolException>(() => grain.RetireAsync("again"));
        var reinstateRetired = await Assert.ThrowsAsync<PoolException>(grain.ReinstateAsync);

        Assert.Equal(NumberStatus.Watchlisted, watchlisted.Status);
        Assert.Equal("operator: complaint #12", watchlisted.Reason);
        Assert.Equal(fixture.Clock.GetUtcNow() + PoolPolicy.Default.Quarantine, watchlisted.Until);
        Assert.Equal(NumberStatus.Available, reinstated.Status);
        Assert.Equal(PoolErrorCode.FailedPrecondition, retireLeased.Code);
        Assert.Contains("is leased by", retireLeased.Message, StringComparison.Ordinal);
        Assert.Equal(PoolErrorCode.FailedPrecondition, watchlistLeased.Code);
        Assert.Equal(NumberStatus.Retired, retired.Status);
        Assert.Equal("operator: carrier ended the contract", retired.Reason);
        Assert.Equal(PoolErrorCode.FailedPrecondition, retireAgain.Code);
        Assert.Equal(PoolErrorCode.FailedPrecondition, reinstateRetired.Code);
        await ExhaustedAsync(poolId, "b");
    }

    [Fact]
    public async Task A_lease_expires_when_its_deadline_passes_and_its_number_cools_down()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, PoolPolicy.Default with { Cooldown = TimeSpan.FromMinutes(1) });
        var lease = await OpenAsync(poolId, ttl: TimeSpan.FromMinutes(2));
        var grain = Grains.GetGrain<ILeaseGrain>(lease.LeaseId);

        await grain.ExpireIfDueAsync();
        var early = await grain.GetAsync("acme");
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await grain.ExpireIfDueAsync();
        var expired = await grain.GetAsync("acme");
        var number = await NumberAsync(lease.Number);

        Assert.Equal(LeaseStatus.Active, early.Status);
        Assert.Equal(LeaseStatus.Ended, expired.Status);
        Assert.Equal(LeaseOutcome.Expired, expired.Outcome);
        Assert.Equal(lease.ExpiresAt, expired.EndedAt);
        Assert.Equal(NumberStatus.Cooling, number.Status);
    }

    [Fact]
    public async Task Extending_a_lease_stops_at_the_pools_maximum_lease_time()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, PoolPolicy.Default with { DefaultTtl = TimeSpan.FromMinutes(20), MaxLeaseTime = TimeSpan.FromHours(1) });
        var lease = await OpenAsync(poolId);
        var grain = Grains.GetGrain<ILeaseGrain>(lease.LeaseId);

        var once = await grain.ExtendAsync("acme", TimeSpan.FromMinutes(30));
        var clamped = await grain.ExtendAsync("acme", TimeSpan.FromMinutes(30));
        var atMax = await Assert.ThrowsAsync<PoolException>(() => grain.ExtendAsync("acme", TimeSpan.FromMinutes(1)));
        await ReleaseAsync(lease);
        var ended = await Assert.ThrowsAsync<PoolException>(() => grain.ExtendAsync("acme", TimeSpan.FromMinutes(1)));
        var stranger = await Assert.ThrowsAsync<PoolException>(() => grain.ExtendAsync("intruder", TimeSpan.FromMinutes(1)));

        Assert.Equal(lease.CreatedAt + TimeSpan.FromMinutes(50), once.ExpiresAt);
        Assert.Equal(lease.CreatedAt + TimeSpan.FromHours(1), clamped.ExpiresAt);
        Assert.Equal(PoolErrorCode.FailedPrecondition, atMax.Code);
        Assert.Equal(PoolErrorCode.FailedPrecondition, ended.Code);
        Assert.Equal(PoolErrorCode.NotFound, stranger.Code);
    }

    [Fact]
    public async Task A_ttl_beyond_the_pools_maximum_is_refused_naming_the_ttl_field_and_no_ttl_takes_the_pool_default()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, PoolPolicy.Default with { DefaultTtl = TimeSpan.FromMinutes(7), MaxLeaseTime = TimeSpan.FromMinutes(30) });

        var tooLong = await Assert.ThrowsAsync<PoolException>(() => OpenAsync(poolId, ttl: TimeSpan.FromHours(1)));
        var lease = await OpenAsync(poolId);

        Assert.Equal(PoolErrorCode.InvalidArgument, tooLong.Code);
        Assert.Equal("ttl", tooLong.Field);
        Assert.Equal(TimeSpan.FromMinutes(7), lease.ExpiresAt - lease.CreatedAt);
    }

    [Fact]
    public async Task Excluded_prefixes_are_never_leased_and_an_all_excluded_pool_says_so()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 2, NoCooldown);

        var lease = await OpenAsync(poolId, "a", null, numbers[0]);
        var refused = await ExhaustedAsync(poolId, "b", numbers[0][..5]);

        Assert.Equal(numbers[1], lease.Number);
        Assert.Contains("1 excluded by your prefixes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_moves_to_another_pool_of_its_country_and_serves_only_there()
    {
        var (from, numbers) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var (to, _) = await TestPools.CreateAsync(Grains, 0, NoCooldown);
        var grain = Grains.GetGrain<INumberGrain>(numbers[0]);

        var moved = await grain.MoveAsync(to);
        await ExhaustedAsync(from, "a");
        var lease = await OpenAsync(to, "a");
        var whileLeased = await Assert.ThrowsAsync<PoolException>(() => grain.MoveAsync(from));

        Assert.Equal(to, moved.PoolId);
        Assert.Equal(numbers[0], lease.Number);
        Assert.Equal(to, await fixture.Database.ScalarAsync<string>($"SELECT pool_id FROM numbers WHERE number = '{numbers[0]}'"));
        Assert.Equal(PoolErrorCode.FailedPrecondition, whileLeased.Code);
    }

    [Fact]
    public async Task A_number_cannot_move_to_a_pool_of_another_country_or_to_no_pool()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var gb = $"gb-{Guid.NewGuid():n}"[..12];
        await Grains.GetGrain<IInventoryGrain>(0).CreatePoolAsync(new PoolInfo(gb, "GB", null, null, PoolPolicy.Default, DateTimeOffset.UtcNow));
        var grain = Grains.GetGrain<INumberGrain>(numbers[0]);

        var otherCountry = await Assert.ThrowsAsync<PoolException>(() => grain.MoveAsync(gb));
        var noPool = await Assert.ThrowsAsync<PoolException>(() => grain.MoveAsync("no-such-pool"));

        Assert.Equal((PoolErrorCode.InvalidArgument, "pool"), (otherCountry.Code, otherCountry.Field));
        Assert.Equal(PoolErrorCode.NotFound, noPool.Code);
        Assert.Equal(poolId, (await grain.GetAsync()).PoolId);
    }

    [Fact]
    public async Task A_flood_of_messages_watchlists_an_idle_number_at_once_and_a_leased_one_when_its_lease_ends()
    {
        var policy = NoCooldown with { FloodMessagesPerHour = 3 };
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 2, policy);
        var idle = Grains.GetGrain<INumberGrain>(numbers[0]);
        var now = fixture.Clock.GetUtcNow();

        var unsolicited = await idle.RecordMessageAsync(now);
        await idle.RecordMessageAsync(now.AddMinutes(1));
        await idle.RecordMessageAsync(now.AddMinutes(2));
        var idleAfter = await idle.GetAsync();

        var lease = await OpenAsync(poolId, "a");
        var busy = Grains.GetGrain<INumberGrain>(lease.Number);
        var owner = await busy.RecordMessageAsync(now);
        await busy.RecordMessageAsync(now.AddMinutes(1));
        await busy.RecordMessageAsync(now.AddMinutes(2));
        var busyDuring = await busy.GetAsync();
        await ReleaseAsync(lease);
        var busyAfter = await busy.GetAsync();

        Assert.Null(unsolicited);
        Assert.Equal(NumberStatus.Watchlisted, idleAfter.Status);
        Assert.Equal("flood: 3 messages within an hour", idleAfter.Reason);
        Assert.Equal(lease.LeaseId, owner);
        Assert.Equal(NumberStatus.Leased, busyDuring.Status);
        Assert.Equal(NumberStatus.Watchlisted, busyAfter.Status);
        Assert.StartsWith("flood", busyAfter.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_spread_over_more_than_an_hour_are_no_flood()
    {
        var (_, numbers) = await TestPools.CreateAsync(Grains, 1, NoCooldown with { FloodMessagesPerHour = 2 });
        var grain = Grains.GetGrain<INumberGrain>(numbers[0]);
        var now = fixture.Clock.GetUtcNow();

        await grain.RecordMessageAsync(now);
        await grain.RecordMessageAsync(now.AddMinutes(61));

        Assert.Equal(NumberStatus.Available, (await grain.GetAsync()).Status);
    }

    [Fact]
    public async Task With_slide_on_message_an_SMS_pushes_the_expiry_up_to_the_maximum_and_a_lease_with_SMS_is_not_silent()
    {
        var policy = NoCooldown with { SlideOnMessage = true, DefaultTtl = TimeSpan.FromMinutes(10), MaxLeaseTime = TimeSpan.FromMinutes(30), SilentLeaseLimit = 1 };
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, policy);
        var lease = await OpenAsync(poolId, "a");
        var grain = Grains.GetGrain<ILeaseGrain>(lease.LeaseId);

        fixture.Clock.Advance(TimeSpan.FromMinutes(8));
        var first = await grain.RecordMessageAsync(hasCode: false);
        // Each message arrives before the deadline it was given (a lease past its deadline has expired).
        fixture.Clock.Advance(TimeSpan.FromMinutes(9));
        await grain.RecordMessageAsync(hasCode: false);
        fixture.Clock.Advance(TimeSpan.FromMinutes(9));
        var capped = await grain.RecordMessageAsync(hasCode: false);
        await ReleaseAsync(lease, LeaseOutcome.Cancelled);

        Assert.Equal(lease.CreatedAt + TimeSpan.FromMinutes(18), first.ExpiresAt);
        Assert.Equal(lease.CreatedAt + TimeSpan.FromMinutes(30), capped.ExpiresAt);
        Assert.Equal(NumberStatus.Available, (await NumberAsync(lease.Number)).Status);
    }

    [Fact]
    public async Task The_pools_expiry_sweep_expires_overdue_leases_it_finds_in_the_projection()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 2, NoCooldown);
        var due = await OpenAsync(poolId, "a", TimeSpan.FromMinutes(2));
        var later = await OpenAsync(poolId, "b", TimeSpan.FromMinutes(30));
        await Eventually.ReturnsAsync(
            () => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM numbers WHERE pool_id = '{poolId}' AND status = 'leased'"),
            n => n == 2, TimeSpan.FromSeconds(10), "both leased numbers in the projection");
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));

        var nudged = await Grains.GetGrain<IExpirySweepGrain>(poolId).SweepAsync();
        var expired = await Eventually.ReturnsAsync(
            () => Grains.GetGrain<ILeaseGrain>(due.LeaseId).GetAsync("acme"), l => l.Status == LeaseStatus.Ended, TimeSpan.FromSeconds(10), "the overdue lease to end");

        Assert.Equal(1, nudged);
        Assert.Equal(LeaseOutcome.Expired, expired.Outcome);
        Assert.Equal(LeaseStatus.Active, (await Grains.GetGrain<ILeaseGrain>(later.LeaseId).GetAsync("acme")).Status);
    }

    [Fact]
    public async Task An_overdue_leased_number_offered_by_its_shard_has_its_lease_expired()
    {
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 1, NoCooldown);
        var lease = await OpenAsync(poolId, "a", TimeSpan.FromMinutes(2));
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));

        var grant = await Grains.GetGrain<INumberGrain>(numbers[0]).TryLeaseAsync(new LeaseTerms(LeaseIds.NewRandom(), "acme", poolId, "b", fixture.Clock.GetUtcNow().AddMinutes(5)));
        var expired = await Eventually.ReturnsAsync(
            () => Grains.GetGrain<ILeaseGrain>(lease.LeaseId).GetAsync("acme"), l => l.Status == LeaseStatus.Ended, TimeSpan.FromSeconds(10), "the overdue lease to end");

        Assert.Equal(LeaseGrant.No(LeaseRefusal.NotAvailable), grant);
        Assert.Equal(LeaseOutcome.Expired, expired.Outcome);
    }
}
