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

    /// <summary>Ends the lease <paramref name="leaseId"/> if it holds the number; a no-op otherwise.</summary>
    [Alias("EndLease")]
    Task EndLeaseAsync(string leaseId, LeaseOutcome outcome);
}
