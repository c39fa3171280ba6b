namespace Pool.Contracts.Idempotency;

/// <summary>What a call with an idempotency key should do.</summary>
[GenerateSerializer, Alias("pool.IdempotencyVerdict")]
public enum IdempotencyVerdict
{
    /// <summary>First time: run the call, then complete or abandon.</summary>
    Proceed = 0,

    /// <summary>Answered before: return the stored answer.</summary>
    Replay = 1,

    /// <summary>The key was used for a different request.</summary>
    Conflict = 2,

    /// <summary>The first call with this key is still running.</summary>
    InProgress = 3,
}

/// <summary>The verdict; for <see cref="IdempotencyVerdict.InProgress"/> also how long until the running claim lapses or is answered.</summary>
[GenerateSerializer, Immutable, Alias("pool.IdempotencyClaim")]
public sealed record IdempotencyClaim([property: Id(0)] IdempotencyVerdict Verdict, [property: Id(1)] byte[]? Response)
{
    [Id(2)]
    public TimeSpan RetryAfter { get; init; }
}

/// <summary>
/// Who runs the call of a claim: a process-unique id of the API process, and the silo it runs in when it
/// is co-hosted with one (null for an API-only front end). A claim whose silo the cluster declared dead
/// is abandoned at once; any other claim lapses when its owner stops renewing it.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.IdempotencyOwner")]
public sealed record IdempotencyOwner([property: Id(0)] string ProcessId, [property: Id(1)] SiloAddress? Silo);

/// <summary>The timing of a running claim, shared by the grain that keeps it and the API that renews it.</summary>
public static class IdempotencyLease
{
    /// <summary>A running claim that is not renewed within this time is abandoned: its process died or lost the cluster.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    /// <summary>How often the owner renews its claim while the call runs: well within <see cref="Duration"/>.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(2);
}

/// <summary>
/// One idempotency key of one tenant and method (key: a hash of the three). Its single-threaded turn
/// decides races between a call and its retries; the first answer is persisted and replayed.
/// </summary>
[Alias("pool.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>Claims the key for <paramref name="owner"/>, unless it is answered, or running under a live owner.</summary>
    [Alias("Claim")]
    Task<IdempotencyClaim> ClaimAsync(byte[] requestHash, IdempotencyOwner owner);

    /// <summary>The owner's call is still running: keep the claim for another <see cref="IdempotencyLease.Duration"/>. False when the claim is no longer the owner's.</summary>
    [Alias("Renew")]
    Task<bool> RenewAsync(byte[] requestHash, string processId);

    [Alias("Complete")]
    Task CompleteAsync(byte[] requestHash, byte[] response);

    /// <summary>The call failed: forget the claim so a retry runs it again.</summary>
    [Alias("Abandon")]
    Task AbandonAsync(byte[] requestHash);
}
