namespace Pool.Contracts.Leases;

/// <summary>
/// The durable backstop of lease expiry for one pool (key: pool id). A lease's grain timer ends it at
/// its deadline while the grain is active; when the silo holding it died, this grain's reminder (one
/// per pool, every minute) finds leased numbers whose deadline has passed in the inventory projection
/// and has their leases expired. It costs no write per lease: the deadline is already in the number's
/// persisted state and its projection.
/// </summary>
[Alias("pool.IExpirySweepGrain")]
public interface IExpirySweepGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the pool's sweep reminder exists (idempotent).</summary>
    [Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>Sweeps now; returns how many overdue leased numbers it nudged.</summary>
    [Alias("Sweep")]
    Task<int> SweepAsync();
}
