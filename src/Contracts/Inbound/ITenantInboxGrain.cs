using Orleans.Concurrency;

namespace Pool.Contracts.Inbound;

/// <summary>
/// A tenant's inbox (key: tenant id): hands routed messages to the tenant in one order. Each message
/// gets the next cursor of the tenant and, in the same write, one outbox row per enabled webhook
/// endpoint; messages appended while a write is in flight share the next write (a group commit);
/// per-tenant streams wait here for messages after their cursor.
/// </summary>
[Alias("pool.ITenantInboxGrain")]
public interface ITenantInboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Hands a stored message of one of the tenant's leases to the tenant; returns its cursor once the write
    /// holding it committed (a message handed over before keeps its cursor). <see cref="Errors.PoolException"/>
    /// Unavailable when that write failed (nothing of it was handed over) or the inbox moved: retry.
    /// </summary>
    [Alias("Append")]
    Task<long> AppendAsync(string messageId, string leaseId);

    /// <summary>The tenant's messages after <paramref name="afterCursor"/>, waiting up to <paramref name="timeout"/> for one.</summary>
    [AlwaysInterleave] // A stream's long poll must not hold up appends (nor other streams): it only reads.
    [Alias("Wait")]
    Task<IReadOnlyList<StoredMessage>> WaitAsync(long afterCursor, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>The inbound housekeeping jobs, run by reminders and callable by operators and tests.</summary>
[Alias("pool.IInboundMaintenanceGrain")]
public interface IInboundMaintenanceGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the reminders (idempotent; the silo calls it at start).</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Purges the text of messages older than their pool's retention; returns how many.</summary>
    [Alias("PurgeExpiredText")]
    Task<int> PurgeExpiredTextAsync();

    /// <summary>Routes messages stored but never routed (older than a grace period); returns how many.</summary>
    [Alias("RecoverUnrouted")]
    Task<int> RecoverUnroutedAsync();
}
