namespace Pool.Contracts.Audit;

/// <summary>
/// Who acted, as the API saw it: the API key id, its role ("admin", "operator", "auditor", "tenant",
/// "tenant-readonly", or "system" for Pool's own jobs), the key's tenant, the peer address (IP, no port)
/// and the request's correlation id. The API puts it in Orleans' <see cref="RequestContext"/> with
/// <see cref="Attach"/>, so every grain call the request makes carries it; grains read it with
/// <see cref="Current"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.AuditActor")]
public sealed record AuditActor(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Role,
    [property: Id(2)] string TenantId,
    [property: Id(3)] string? PeerAddress,
    [property: Id(4)] string? CorrelationId)
{
    private const string ContextKey = "pool.actor";

    /// <summary>Pool itself (reminders, timers, start-up): the actor of a change no request caused.</summary>
    public static AuditActor System { get; } = new("system", "system", "system", null, null);

    /// <summary>The actor of the request this grain call belongs to, or <see cref="System"/> when none is attached.</summary>
    public static AuditActor Current => RequestContext.Get(ContextKey) as AuditActor ?? System;

    /// <summary>Makes this actor the one of every grain call made from here on in this async flow.</summary>
    public void Attach() => RequestContext.Set(ContextKey, this);
}

/// <summary>
/// One audit row as written: who (<see cref="Actor"/>), what (<see cref="Action"/>, a dotted verb such
/// as "number.watchlist"; <see cref="Target"/>, such as "pool/hk-main" or "number/+852****4567", with phone
/// numbers always masked), the state before and after as JSON objects of the fields that changed (null
/// when there was none; phone numbers masked, secrets never), and the outcome ("ok", or "refused: …" for
/// refusals that are audited).
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] AuditActor Actor,
    [property: Id(1)] string Action,
    [property: Id(2)] string Target,
    [property: Id(3)] string? Before,
    [property: Id(4)] string? After,
    [property: Id(5)] string Outcome = "ok");

/// <summary>
/// Appends audit rows that go with no state change (refused calls, operators' reads of a tenant's
/// messages): a stateless worker over the <c>audit</c> table. Audit rows of state changes are written
/// in the change's own transaction, not through this grain.
/// </summary>
[Alias("pool.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    /// <summary>Appends the record once it is committed. Unavailable (<see cref="Errors.PoolException"/>) when the database is.</summary>
    [Alias("Append")]
    Task AppendAsync(AuditRecord record);

    /// <summary>A page of the audit log matching <paramref name="query"/>, newest first.</summary>
    [Alias("List")]
    Task<AuditPage> ListAsync(AuditQuery query);
}

/// <summary>
/// A page request over the audit log: every filter optional (null: any). <see cref="Action"/> and
/// <see cref="Target"/> match as prefixes ("number." matches every number action); <see cref="From"/>
/// is inclusive, <see cref="To"/> exclusive. Rows come newest first, <see cref="Limit"/> at a time,
/// continuing below <see cref="BeforeId"/> when given.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string? KeyId,
    [property: Id(1)] string? TenantId,
    [property: Id(2)] string? Action,
    [property: Id(3)] string? Target,
    [property: Id(4)] DateTimeOffset? From,
    [property: Id(5)] DateTimeOffset? To,
    [property: Id(6)] int Limit,
    [property: Id(7)] long? BeforeId);

/// <summary>One stored audit row: its id and time, and the record as written.</summary>
[GenerateSerializer, Immutable, Alias("pool.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] long AuditId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] AuditRecord Record);

/// <summary>A page of audit rows, newest first, and the id to continue below (null: no more rows).</summary>
[GenerateSerializer, Immutable, Alias("pool.AuditPage")]
public sealed record AuditPage(
    [property: Id(0)] IReadOnlyList<AuditEntry> Entries,
    [property: Id(1)] long? NextBeforeId);

/// <summary>
/// The audit log's retention: one activation (key 0) holds a reminder and purges the rows older than
/// the retention period (Pool:Audit:Retention) in bounded batches.
/// </summary>
[Alias("pool.IAuditRetentionGrain")]
public interface IAuditRetentionGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the purge reminder (idempotent).</summary>
    [Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>Purges now; returns how many rows were deleted.</summary>
    [Alias("Purge")]
    Task<long> PurgeAsync();
}
