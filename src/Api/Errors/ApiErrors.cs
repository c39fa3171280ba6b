using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pool.Contracts.Errors;

namespace Pool.Api.Errors;

/// <summary>Builds the gRPC answers for refusals: a status code, a precise message, and google.rpc details.</summary>
public static class ApiErrors
{
    public static RpcException Build(Code code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status.ToRpcException();
    }

    public static RpcException From(PoolException error) => error.Code switch
    {
        PoolErrorCode.InvalidArgument => Build(
            Code.InvalidArgument,
            error.Field is null ? error.Message : $"{error.Field}: {error.Message}",
            new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = error.Field ?? string.Empty, Description = error.Message } } }),
        PoolErrorCode.NotFound => Build(Code.NotFound, error.Message),
        PoolErrorCode.Exhausted => Build(Code.ResourceExhausted, error.Message),
        PoolErrorCode.FailedPrecondition => Build(Code.FailedPrecondition, error.Message),
        PoolErrorCode.Conflict => Build(Code.AlreadyExists, error.Message),
        PoolErrorCode.Unavailable => Build(Code.Unavailable, error.Message, new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) }),
        _ => Build(Code.Internal, "internal error"),
    };
}
