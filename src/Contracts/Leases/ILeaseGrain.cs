using Orleans.Concurrency;
using Pool.Contracts.Errors;

namespace Pool.Contracts.Leases;

/// <summary>
/// One lease of one number (key: the lease id). A lease opened with an idempotency key has a lease id
/// derived from (tenant, key), so every retry of that request lands on this same grain and gets the
/// first answer: the grain's single-threaded turn is what makes a retry racing the first call safe.
/// </summary>
[Alias("pool.ILeaseGrain")]
public interface ILeaseGrain : IGrainWithStringKey
{
    /// <summary>
    /// Allocates a number and opens the lease, or returns the lease already opened by the same request.
    /// <see cref="PoolException"/>: Exhausted when no number can be had, Conflict when this lease id was
    /// opened by a different request. <paramref name="cancellationToken"/> carries the caller's deadline
    /// into the grain: allocation stops trying candidates once it is cancelled.
    /// </summary>
    [Alias("Open")]
    Task<LeaseInfo> OpenAsync(LeaseRequest request, CancellationToken cancellationToken = default);

    /// <summary>The lease, if <paramref name="tenantId"/> holds it; NotFound otherwise (also for other tenants).</summary>
    [Alias("Get")]
    Task<LeaseInfo> GetAsync(string tenantId);

    /// <summary>
    /// Ends the lease with <paramref name="outcome"/> and hands the number back. Releasing an ended
    /// lease again with the same outcome returns it unchanged; with another outcome it is FailedPrecondition.
    /// </summary>
    [Alias("Release")]
    Task<LeaseInfo> ReleaseAsync(string tenantId, LeaseOutcome outcome);

    /// <summary>
    /// Pushes the expiry <paramref name="by"/> later, up to the pool's maximum lease time counted from
    /// creation. FailedPrecondition when the lease has ended or is already at the maximum.
    /// </summary>
    [Alias("Extend")]
    Task<LeaseInfo> ExtendAsync(string tenantId, TimeSpan by);

    /// <summary>Ends the lease with outcome Expired if its expiry has passed; a no-op otherwise.</summary>
    [Alias("ExpireIfDue")]
    Task ExpireIfDueAsync();

    /// <summary>
    /// <see cref="ExpireIfDueAsync"/> without waiting: its number calls it when it finds its lease
    /// overdue, and must not wait for the lease, which calls the number back to end it.
    /// </summary>
    [OneWay, Alias("NudgeExpiry")]
    Task NudgeExpiryAsync();

    /// <summary>
    /// Counts an SMS received on the lease's number (one with a code moves the session to CodeReceived) (a lease with messages is not a silent one) and,
    /// when the pool slides leases on messages, pushes the expiry to now + the pool's default TTL
    /// (never earlier, never past the maximum lease time). A no-op on an ended lease.
    /// </summary>
    [Alias("RecordMessage")]
    Task<LeaseInfo> RecordMessageAsync(bool hasCode);

    /// <summary>
    /// "Send another SMS": a lease whose code arrived goes back to waiting for the next one.
    /// FailedPrecondition when no code has arrived yet or the lease has ended.
    /// </summary>
    [Alias("RequestAnotherSms")]
    Task<LeaseInfo> RequestAnotherSmsAsync(string tenantId);

    /// <summary>
    /// A long poll for message streams: answers as soon as the lease has received more than
    /// <paramref name="knownMessages"/> messages or has ended, or after <paramref name="timeout"/>.
    /// Returns the lease's message count and whether it is still active. Interleaves with every
    /// other call: a waiting stream never holds the grain up.
    /// </summary>
    [AlwaysInterleave, Alias("WaitForMessage")]
    Task<(int Messages, bool Active)> WaitForMessageAsync(string tenantId, int knownMessages, TimeSpan timeout, CancellationToken cancellationToken = default);
}
