namespace Pool.Contracts.Errors;

/// <summary>What kind of refusal a <see cref="PoolException"/> carries; the API maps each to one gRPC status.</summary>
[GenerateSerializer, Alias("pool.PoolErrorCode")]
public enum PoolErrorCode
{
    /// <summary>Bad input; <see cref="PoolException.Field"/> names the field.</summary>
    InvalidArgument = 0,

    /// <summary>The resource does not exist, or belongs to another tenant.</summary>
    NotFound = 1,

    /// <summary>Nothing left to give: an empty pool, a quota, a rate limit.</summary>
    Exhausted = 2,

    /// <summary>The resource is not in a state that allows the operation.</summary>
    FailedPrecondition = 3,

    /// <summary>An idempotency key was reused with different parameters.</summary>
    Conflict = 4,

    /// <summary>A transient fault; retrying the same call is safe.</summary>
    Unavailable = 5,
}
