using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Grains.Inventory;

namespace Pool.Grains.Numbers;

/// <summary>The persisted life of one number (state name "number", unique in the solution).</summary>
[GenerateSerializer, Alias("pool.NumberState")]
public sealed class NumberState
{
    [Id(0)]
    public string PoolId { get; set; } = "";

    [Id(1)]
    public string Country { get; set; } = "";

    [Id(2)]
    public NumberStatus Status { get; set; }

    /// <summary>The lease holding the number while <see cref="Status"/> is Leased.</summary>
    [Id(3)]
    public LeaseTerms? Lease { get; set; }

    /// <summary>How many leases the number has served.</summary>
    [Id(4)]
    public int Uses { get; set; }

    [Id(5)]
    public DateTimeOffset? LastLeaseEndedAt { get; set; }

    /// <summary>End of the cooldown or quarantine.</summary>
    [Id(6)]
    public DateTimeOffset? Until { get; set; }

    /// <summary>Why the number is watchlisted or retired.</summary>
    [Id(7)]
    public string? Reason { get; set; }

    /// <summary>Automatic watchlistings so far; the pool's MaxOffences retires the number.</summary>
    [Id(8)]
    public int Offences { get; set; }

    /// <summary>Consecutive leases that ended cancelled or expired without any SMS.</summary>
    [Id(9)]
    public int SilentLeases { get; set; }

    /// <summary>"bad_number" reports since the last watchlisting.</summary>
    [Id(10)]
    public int BadNumberReports { get; set; }

    /// <summary>Service → when the number last started serving it.</summary>
    [Id(11)]
    public Dictionary<string, DateTimeOffset> Served { get; set; } = new(StringComparer.Ordinal);

    [Id(12)]
    public LeaseOutcome LastOutcome { get; set; }

    /// <summary>Incremented by every persisted transition; orders the projection's writes.</summary>
    [Id(13)]
    public int Revision { get; set; }

    /// <summary>A watchlisting found while the number was leased, applied when the lease ends.</summary>
    [Id(14)]
    public string? PendingOffence { get; set; }

    /// <summary>
    /// How the number's most recent leases ended (newest last, at most <see cref="RecentEndsKept"/>),
    /// written with the transition that ended each: a lease whose own record of its end was lost asks
    /// its number how it ended.
    /// </summary>
    [Id(15)]
    public List<EndedLease> RecentEnds { get; set; } = [];

    public const int RecentEndsKept = 8;

    /// <summary>The row the <c>numbers</c> projection holds for this state.</summary>
    public NumberProjection ToProjection(string number, DateTimeOffset at) =>
        // For a leased number the projection's "until" is the lease's deadline: the expiry sweep reads it.
        new(number, Status, Status == NumberStatus.Leased ? Lease?.ExpiresAt : Until, Reason, Uses, Revision, at)
        {
            LeaseId = Status == NumberStatus.Leased ? Lease?.LeaseId : null,
        };
}

/// <summary>How one lease of a number ended.</summary>
[GenerateSerializer, Immutable, Alias("pool.EndedLease")]
public sealed record EndedLease(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] LeaseOutcome Outcome,
    [property: Id(2)] DateTimeOffset EndedAt);
