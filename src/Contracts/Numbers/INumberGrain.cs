using Pool.Contracts.Errors;

using Pool.Contracts.Leases;

namespace Pool.Contracts.Numbers;

/// <summary>
/// One virtual number (key: canonical E.164, e.g. "+85251234567"). The number's own persisted state
/// is the single arbiter of who holds it: its ETag-checked write decides every lease.
/// </summary>
[Alias("pool.INumberGrain")]
public interface INumberGrain : IGrainWithStringKey
{
    /// <summary>The number's current state; <see cref="PoolException"/> NotFound when it was never provisioned.</summary>
    [Alias("Get")]
    Task<NumberInfo> GetAsync();

    /// <summary>
    /// Grants the number to <paramref name="terms"/> if it is available in that pool, persisting the
    /// grant before answering. Asking again with the lease id that already holds it grants again.
    /// </summary>
    [Alias("TryLease")]
    Task<LeaseGrant> TryLeaseAsync(LeaseTerms terms);

    /// <summary>
    /// Ends the lease <paramref name="leaseId"/> if it holds the number (a no-op otherwise): the number
    /// cools down, rotates out after the pool's maximum uses, or goes to the watchlist when the pool's
    /// rules say so. <paramref name="messages"/> is how many SMS the lease received.
    /// Returns when the number ended that lease: now, or, for a repeated call whose first answer was
    /// lost, the time the first call ended it (so the lease records the end the number acted on);
    /// null when the number has no record of that lease ending.
    /// </summary>
    [Alias("EndLease")]
    Task<DateTimeOffset?> EndLeaseAsync(string leaseId, LeaseOutcome outcome, int messages);

    /// <summary>Operator quarantine until <paramref name="until"/> (default: the pool's quarantine). FailedPrecondition while leased or retired.</summary>
    [Alias("Watchlist")]
    Task<NumberInfo> WatchlistAsync(string reason, DateTimeOffset? until);

    /// <summary>Takes a watchlisted number out of quarantine; FailedPrecondition in any other state.</summary>
    [Alias("Reinstate")]
    Task<NumberInfo> ReinstateAsync();

    /// <summary>Takes the number out of service for good; FailedPrecondition while leased or when already retired.</summary>
    [Alias("Retire")]
    Task<NumberInfo> RetireAsync(string reason);

    /// <summary>
    /// Moves the number to another pool of the same country. FailedPrecondition while leased or retired;
    /// NotFound for an unknown pool; InvalidArgument for a pool of another country.
    /// </summary>
    [Alias("Move")]
    Task<NumberInfo> MoveAsync(string poolId);

    /// <summary>
    /// Records an inbound SMS on the number and returns the live lease it belongs to (null when the
    /// number is not leased: the message is unsolicited). A flood of messages (the pool's
    /// FloodMessagesPerHour within an hour) puts the number on the watchlist, at once when it is not
    /// leased, when its lease ends otherwise.
    /// </summary>
    [Alias("RecordMessage")]
    Task<string?> RecordMessageAsync(DateTimeOffset receivedAt);

    /// <summary>Nudges the number's lease to expire when its deadline has passed (the expiry sweep calls it); a no-op otherwise.</summary>
    [Alias("ExpireOverdueLease")]
    Task ExpireOverdueLeaseAsync();
}
