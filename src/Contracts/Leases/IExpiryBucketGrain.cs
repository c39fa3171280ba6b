namespace Pool.Contracts.Leases;

/// <summary>
/// The durable backstop of lease expiry (key: "{unix minute}/{partition}"). Leases that expire in the
/// same minute register here; one reminder per bucket wakes it after that minute, even if every silo
/// that held those leases died, and it asks each lease to expire if due. Registrations are written in
/// batches, so the backstop costs a fraction of a write per lease instead of a reminder row each.
/// </summary>
[Alias("pool.IExpiryBucketGrain")]
public interface IExpiryBucketGrain : IGrainWithStringKey
{
    /// <summary>Remembers <paramref name="leaseId"/> durably; returns once the registration is written.</summary>
    [Alias("Track")]
    Task TrackAsync(string leaseId);
}
