using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Pool.Contracts.Errors;

namespace Pool.Api.Errors;

/// <summary>
/// Turns what grains throw into gRPC answers. Domain refusals keep their meaning; transient cluster
/// and storage faults (<see cref="InfrastructureFaults"/>, any Orleans runtime exception, an exception
/// that arrived without a codec) become UNAVAILABLE with a retry delay, never INTERNAL; anything else
/// becomes INTERNAL with a correlation id that is also in the log line, and the exception's own text
/// never reaches the client.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(ex, context);
        }
    }

    /// <summary>True for faults worth retrying: infrastructure faults and whatever the Orleans runtime itself throws.</summary>
    public static bool IsTransient(Exception ex) => ex is not PoolException && (ex is OrleansException || InfrastructureFaults.IsFault(ex));

    private RpcException Translate(Exception ex, ServerCallContext context)
    {
        switch (ex)
        {
            case PoolException pool:
                return ApiErrors.From(pool);
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested && context.Deadline <= DateTime.UtcNow:
                return new RpcException(new Status(StatusCode.DeadlineExceeded, "the call's deadline passed before Pool could answer"));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled by the client"));
            case var _ when IsTransient(ex):
                var retryId = Guid.NewGuid().ToString("n");
                LogTransient(logger, context.Method, retryId, ex.GetType().Name, ex);
                return ApiErrors.Unavailable($"the cluster or its database is temporarily unavailable; retry the call (correlation id {retryId})");
            default:
                var correlationId = Guid.NewGuid().ToString("n");
                LogInternal(logger, context.Method, correlationId, ex);
                return ApiErrors.Build(Google.Rpc.Code.Internal, $"internal error (correlation id {correlationId})");
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "{Method} failed transiently with {ExceptionType} (correlation id {CorrelationId})")]
    private static partial void LogTransient(ILogger logger, string method, string correlationId, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "{Method} failed (correlation id {CorrelationId})")]
    private static partial void LogInternal(ILogger logger, string method, string correlationId, Exception exception);
}
