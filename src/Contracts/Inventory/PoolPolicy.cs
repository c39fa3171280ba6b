namespace Pool.Contracts.Inventory;

/// <summary>
/// How a pool treats its numbers. Durations are whole seconds in the database; every field has a
/// default that suits a typical verification pool.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.PoolPolicy")]
public sealed record PoolPolicy
{
    public static PoolPolicy Default { get; } = new();

    /// <summary>Lease time when a request names none.</summary>
    [Id(0)]
    public TimeSpan DefaultTtl { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Longest a lease may live from its creation, extensions included.</summary>
    [Id(1)]
    public TimeSpan MaxLeaseTime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Rest after a lease ends before the number can be leased again.</summary>
    [Id(2)]
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Leases a number serves before it rotates out (Retired, reason "rotated").</summary>
    [Id(3)]
    public int MaxUses { get; init; } = 100;

    /// <summary>How long a number may not serve a service again; null: never again.</summary>
    [Id(4)]
    public TimeSpan? ReuseWindow { get; init; }

    /// <summary>Consecutive leases that ended without any SMS (cancelled or expired) before the number is watchlisted.</summary>
    [Id(5)]
    public int SilentLeaseLimit { get; init; } = 3;

    /// <summary>"bad_number" reports from clients before the number is watchlisted.</summary>
    [Id(6)]
    public int BadNumberLimit { get; init; } = 2;

    /// <summary>Messages in one hour that make a number a flood suspect.</summary>
    [Id(7)]
    public int FloodMessagesPerHour { get; init; } = 60;

    /// <summary>How long an automatic watchlisting lasts.</summary>
    [Id(8)]
    public TimeSpan Quarantine { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Watchlistings after which a number is retired for good.</summary>
    [Id(9)]
    public int MaxOffences { get; init; } = 3;

    /// <summary>Whether an inbound message pushes the lease's expiry forward (by the default TTL, up to the maximum).</summary>
    [Id(10)]
    public bool SlideOnMessage { get; init; }

    /// <summary>How long the text of the messages the pool's numbers received is kept (then purged; the metadata stays).</summary>
    [Id(11)]
    public TimeSpan MessageRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Every rule the policy breaks, as (field, problem); empty when it is valid.</summary>
    public IEnumerable<(string Field, string Problem)> Validate()
    {
        if (DefaultTtl < TimeSpan.FromMinutes(1) || DefaultTtl > TimeSpan.FromHours(24))
        {
            yield return ("default_ttl", $"{DefaultTtl} is out of range (1 minute to 24 hours)");
        }

        if (MaxLeaseTime < DefaultTtl || MaxLeaseTime > TimeSpan.FromDays(7))
        {
            yield return ("max_lease_time", $"{MaxLeaseTime} must be at least the default TTL ({DefaultTtl}) and at most 7 days");
        }

        if (Cooldown < TimeSpan.Zero || Cooldown > TimeSpan.FromDays(30))
        {
            yield return ("cooldown", $"{Cooldown} is out of range (0 to 30 days)");
        }

        if (MaxUses is < 1 or > 1_000_000)
        {
            yield return ("max_uses", $"{MaxUses} is out of range (1 to 1000000)");
        }

        if (ReuseWindow is { } window && (window <= TimeSpan.Zero || window > TimeSpan.FromDays(3650)))
        {
            yield return ("reuse_window", $"{window} is out of range (more than 0, at most 10 years; leave it unset for 'never')");
        }

        if (SilentLeaseLimit is < 1 or > 1000)
        {
            yield return ("silent_lease_limit", $"{SilentLeaseLimit} is out of range (1 to 1000)");
        }

        if (BadNumberLimit is < 1 or > 1000)
        {
            yield return ("bad_number_limit", $"{BadNumberLimit} is out of range (1 to 1000)");
        }

        if (FloodMessagesPerHour is < 1 or > 100_000)
        {
            yield return ("flood_messages_per_hour", $"{FloodMessagesPerHour} is out of range (1 to 100000)");
        }

        if (Quarantine < TimeSpan.FromMinutes(1) || Quarantine > TimeSpan.FromDays(365))
        {
            yield return ("quarantine", $"{Quarantine} is out of range (1 minute to 365 days)");
        }

        if (MaxOffences is < 1 or > 100)
        {
            yield return ("max_offences", $"{MaxOffences} is out of range (1 to 100)");
        }

        if (MessageRetention < TimeSpan.FromHours(1) || MessageRetention > TimeSpan.FromDays(3650))
        {
            yield return ("message_retention", $"{MessageRetention} is out of range (1 hour to 3650 days)");
        }
    }
}

/// <summary>A pool: where its numbers are from and how it treats them.</summary>
[GenerateSerializer, Immutable, Alias("pool.PoolInfo")]
public sealed record PoolInfo(
    [property: Id(0)] string PoolId,
    [property: Id(1)] string Country,
    [property: Id(2)] string? Carrier,
    [property: Id(3)] string? Region,
    [property: Id(4)] PoolPolicy Policy,
    [property: Id(5)] DateTimeOffset CreatedAt);

/// <summary>How many numbers of a pool are in each state (from the inventory projection, eventually consistent).</summary>
[GenerateSerializer, Immutable, Alias("pool.PoolStats")]
public sealed record PoolStats(
    [property: Id(0)] string PoolId,
    [property: Id(1)] int Available,
    [property: Id(2)] int Leased,
    [property: Id(3)] int Cooling,
    [property: Id(4)] int Watchlisted,
    [property: Id(5)] int Retired)
{
    public int Total => Available + Leased + Cooling + Watchlisted + Retired;
}
