using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;

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
}
