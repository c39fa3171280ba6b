using Grpc.Core;
using Grpc.Core.Interceptors;
using Pool.Api.Errors;
using Pool.Contracts.Audit;

namespace Pool.Api.Auth;

/// <summary>
/// Every pool.v1 call carries an API key; the key must be live and valid (else UNAUTHENTICATED), the
/// call must come from an address in the key's allowlist and <see cref="AuthorizationPolicy"/> must
/// allow the key's role to call the method (else PERMISSION_DENIED). Each refusal says which rule
/// refused it; refusals of existing keys are audited (<see cref="RefusalAudit"/>). Health and
/// reflection are open (probes and tools use them without credentials).
/// </summary>
public sealed class AuthInterceptor(RequestAuthorizer authorizer) : Interceptor
{
    private static readonly string[] s_open = ["/grpc.health.v1.Health/", "/grpc.reflection."];

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        (await AuthorizeAsync(context))?.Attach();
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        (await AuthorizeAsync(context))?.Attach();
        await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        (await AuthorizeAsync(context))?.Attach();
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        (await AuthorizeAsync(context))?.Attach();
        await continuation(requestStream, responseStream, context);
    }

    /// <summary>
    /// Authenticates and authorizes the call (<see cref="RequestAuthorizer"/>); returns the actor of an
    /// authenticated call (null for an open one). The caller attaches it in its own async flow (an
    /// AsyncLocal set in here would not reach the service).
    /// </summary>
    private async Task<AuditActor?> AuthorizeAsync(ServerCallContext context)
    {
        var method = context.Method;
        if (s_open.Any(prefix => method.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return null;
        }

        var decision = await authorizer.AuthorizeAsync(
            PresentedKey(context.RequestHeaders), RequestActor.PeerAddress(context.Peer), method, null, RequestActor.CorrelationId(context.RequestHeaders), context.CancellationToken);
        if (decision.Refusal is { } refusal)
        {
            throw ApiErrors.Build(refusal.Code, refusal.Message);
        }

        var caller = decision.Caller!;
        if (decision.RetryAfter is { } retryAfter)
        {
            throw ApiErrors.Build(
                Google.Rpc.Code.ResourceExhausted,
                $"tenant '{caller.TenantId}' exceeds its rate limit of {caller.RequestsPerSecond} requests per second; retry after {retryAfter.TotalMilliseconds:0} ms",
                new Google.Rpc.RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(retryAfter) });
        }

        caller.AttachTo(context);
        return decision.Actor;
    }

    private static string? PresentedKey(Metadata headers)
    {
        var authorization = headers.GetValue("authorization");
        if (authorization is not null)
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : authorization.Trim();
        }

        return headers.GetValue("x-api-key")?.Trim();
    }
}
