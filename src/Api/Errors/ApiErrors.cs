using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pool.Contracts.Errors;

namespace Pool.Api.Errors;

/// <summary>
/// Builds the gRPC answers for refusals: a status code, a precise message, and google.rpc details.
/// Every message is bounded (<see cref="Echo.MaxMessage"/>), whatever the client sent, so an answer's
/// trailers stay a few kilobytes; every UNAVAILABLE carries a <c>google.rpc.RetryInfo</c>.
/// </summary>
public static class ApiErrors
{
    /// <summary>The retry delay of an UNAVAILABLE answer that has no better estimate: the first step of the client's backoff.</summary>
    public static readonly TimeSpan TransientRetryDelay = TimeSpan.FromSeconds(1);

    public static RpcException Build(Code code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = Echo.Bound(message) };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status.ToRpcException();
    }

    /// <summary>UNAVAILABLE: retry the same call (same idempotency key) after <paramref name="retryAfter"/>, or the default delay.</summary>
    public static RpcException Unavailable(string message, TimeSpan? retryAfter = null) =>
        Build(Code.Unavailable, message, new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter ?? TransientRetryDelay) });

    public static RpcException From(PoolException error) => error.Code switch
    {
        PoolErrorCode.InvalidArgument => InvalidArgument(error),
        PoolErrorCode.NotFound => Build(Code.NotFound, error.Message),
        PoolErrorCode.Exhausted => Build(Code.ResourceExhausted, error.Message),
        PoolErrorCode.FailedPrecondition => Build(Code.FailedPrecondition, error.Message),
        PoolErrorCode.Conflict => Build(Code.AlreadyExists, error.Message),
        PoolErrorCode.Unavailable => Unavailable(error.Message),
        _ => Build(Code.Internal, "internal error"),
    };

    private static RpcException InvalidArgument(PoolException error)
    {
        var field = Echo.Bound(error.Field ?? string.Empty, FieldViolations.MaxFieldName);
        var description = Echo.Bound(error.Message, FieldViolations.MaxDescription);
        return Build(
            Code.InvalidArgument,
            field.Length == 0 ? description : $"{field}: {description}",
            new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } });
    }
}
