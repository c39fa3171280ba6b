namespace Pool.Contracts.Errors;

/// <summary>
/// A refusal that grains report to callers: a domain answer, not a fault. Its message is written for
/// the client (it never holds a full phone number or a secret).
/// </summary>
[GenerateSerializer, Alias("pool.PoolException")]
public sealed class PoolException : Exception
{
    public PoolException()
    {
    }

    public PoolException(string message)
        : base(message)
    {
    }

    public PoolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PoolException(PoolErrorCode code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    [Id(0)]
    public PoolErrorCode Code { get; init; }

    /// <summary>The request field at fault, for <see cref="PoolErrorCode.InvalidArgument"/>.</summary>
    [Id(1)]
    public string? Field { get; init; }
}
