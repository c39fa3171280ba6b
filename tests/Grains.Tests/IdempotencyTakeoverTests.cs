using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Pool.Contracts.Idempotency;
using Pool.Testing;

namespace Pool.Grains.Tests;

/// <summary>
/// A running idempotency claim whose owner died is taken over promptly: at once when the cluster declared
/// the owner's silo dead, and when its lease lapses otherwise; a live owner's claim is not taken, and the
/// retry delay it answers is no longer than the real wait. The domain clock is fake and stands still
/// unless a test moves it, so a takeover without moving it can only be the owner's death.
/// </summary>
public sealed class IdempotencyTakeoverTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestDatabase _database = null!;
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _cluster = await PoolCluster.StartAsync(_database, $"idm-{Guid.NewGuid():n}"[..16], clock: _clock);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }

    private IIdempotencyGrain NewKey() => _cluster.Client.GetGrain<IIdempotencyGrain>(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    private static IdempotencyOwner Api(SiloAddress? silo) => new(Guid.NewGuid().ToString("n"), silo);

    [Fact]
    public async Task A_claim_whose_owner_silo_was_declared_dead_is_taken_over_without_waiting_for_its_lease()
    {
        var key = NewKey();
        var request = RandomNumberGenerator.GetBytes(32);
        var doomed = _cluster.Silos[^1];
        var retrying = Api(_cluster.Silos[0].SiloAddress);
        Assert.Equal(IdempotencyVerdict.Proceed, (await key.ClaimAsync(request, Api(doomed.SiloAddress))).Verdict);
        Assert.Equal(IdempotencyVerdict.InProgress, (await key.ClaimAsync(request, retrying)).Verdict);

        await _cluster.StopSiloAsync(doomed);
        var claim = await Eventually.ReturnsAsync(
            () => key.ClaimAsync(request, retrying), c => c.Verdict != IdempotencyVerdict.InProgress, TimeSpan.FromSeconds(30),
            "the retry to take over the claim once the owner's silo is declared dead (the fake clock stands still: its lease cannot lapse)");

        Assert.Equal(IdempotencyVerdict.Proceed, claim.Verdict);
    }

    [Fact]
    public async Task A_live_owners_claim_is_not_taken_over_and_the_retry_delay_is_no_longer_than_the_claim_holds()
    {
        var key = NewKey();
        var request = RandomNumberGenerator.GetBytes(32);
        var owner = Api(_cluster.Silos[0].SiloAddress);
        await key.ClaimAsync(request, owner);

        var soon = await key.ClaimAsync(request, Api(null));
        _clock.Advance(IdempotencyLease.Duration - TimeSpan.FromSeconds(1));
        var late = await key.ClaimAsync(request, Api(null));

        Assert.Equal(IdempotencyVerdict.InProgress, soon.Verdict);
        Assert.Equal(IdempotencyLease.RenewEvery, soon.RetryAfter);
        Assert.Equal(IdempotencyVerdict.InProgress, late.Verdict);
        Assert.Equal(TimeSpan.FromSeconds(1), late.RetryAfter);
    }

    [Fact]
    public async Task A_renewed_claim_holds_and_one_no_longer_renewed_is_taken_over_when_its_lease_lapses()
    {
        var key = NewKey();
        var request = RandomNumberGenerator.GetBytes(32);
        var owner = Api(null);
        await key.ClaimAsync(request, owner);

        _clock.Advance(IdempotencyLease.Duration - TimeSpan.FromSeconds(1));
        Assert.True(await key.RenewAsync(request, owner.ProcessId), "the owner renews its own running claim");
        _clock.Advance(IdempotencyLease.Duration - TimeSpan.FromSeconds(1));
        var whileRenewed = await key.ClaimAsync(request, Api(null));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterLapse = await key.ClaimAsync(request, Api(null));

        Assert.Equal(IdempotencyVerdict.InProgress, whileRenewed.Verdict);
        Assert.Equal(IdempotencyVerdict.Proceed, afterLapse.Verdict);
        Assert.False(await key.RenewAsync(request, owner.ProcessId), "a claim taken over is no longer the first owner's to renew");
    }
}
