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

[GenerateSerializer, Immutable, Alias("pool.IdempotencyClaim")]
public sealed record IdempotencyClaim([property: Id(0)] IdempotencyVerdict Verdict, [property: Id(1)] byte[]? Response);

/// <summary>
/// One idempotency key of one tenant and method (key: a hash of the three). Its single-threaded turn
/// decides races between a call and its retries; the first answer is persisted and replayed.
/// </summary>
[Alias("pool.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    [Alias("Begin")]
    Task<IdempotencyClaim> BeginAsync(byte[] requestHash);

    [Alias("Complete")]
    Task CompleteAsync(byte[] requestHash, byte[] response);

    /// <summary>The call failed: forget the claim so a retry runs it again.</summary>
    [Alias("Abandon")]
    Task AbandonAsync(byte[] requestHash);
}
