using System.Net;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Pool.Api.Errors;
using Pool.Contracts.Audit;
using Pool.Contracts.Tenants;

namespace Pool.Api.Auth;

/// <summary>
/// Every pool.v1 call carries an API key; the key must be live and valid (else UNAUTHENTICATED), the
/// call must come from an address in the key's allowlist and <see cref="AuthorizationPolicy"/> must
/// allow the key's role to call the method (else PERMISSION_DENIED). Each refusal says which rule
/// refused it; refusals of existing keys are audited (<see cref="RefusalAudit"/>). Health and
/// reflection are open (probes and tools use them without credentials).
/// </summary>
public sealed partial class AuthInterceptor(ApiKeyAuthenticator authenticator, TenantRateLimiter limiter, RefusalAudit audit, ILogger<AuthInterceptor> logger) : Interceptor
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
    /// Authenticates and authorizes the call; returns the actor of an authenticated call (null for an
    /// open one). The caller attaches it in its own async flow (an AsyncLocal set in here would not
    /// reach the service).
    /// </summary>
    private async Task<AuditActor?> AuthorizeAsync(ServerCallContext context)
    {
        var method = context.Method;
        if (s_open.Any(prefix => method.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return null;
        }

        var peer = RequestActor.PeerAddress(context.Peer);
        var (caller, refusal) = await authenticator.AuthenticateAsync(
            PresentedKey(context.RequestHeaders), peer is null ? null : IPAddress.Parse(peer), context.CancellationToken);
        if (caller is null)
        {
            throw Refuse(refusal!, method, peer, context);
        }

        if (AuthorizationPolicy.Refusal(caller.Role, method) is { } forbidden)
        {
            throw Refuse(KeyRefusal.PermissionDenied(KeyRefusal.Role, forbidden), method, peer, context, caller);
        }

        var (allowed, retryAfter) = limiter.TryAcquire(caller.TenantId, caller.RequestsPerSecond);
        if (!allowed)
        {
            LogRateLimited(logger, caller.TenantId, caller.RequestsPerSecond);
            throw ApiErrors.Build(
                Google.Rpc.Code.ResourceExhausted,
                $"tenant '{caller.TenantId}' exceeds its rate limit of {caller.RequestsPerSecond} requests per second; retry after {retryAfter.TotalMilliseconds:0} ms",
                new Google.Rpc.RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(retryAfter) });
        }

        caller.AttachTo(context);
        return RequestActor.Of(caller, context);
    }

    /// <summary>The refusal's answer, logged and (when it names an existing key) audited.</summary>
    private RpcException Refuse(KeyRefusal refusal, string method, string? peer, ServerCallContext context, Caller? caller = null)
    {
        var (keyId, role, tenant) = refusal.Key is { } key ? (key.KeyId, key.Role, key.TenantId)
            : caller is not null ? (caller.KeyId, caller.Role, caller.TenantId)
            : ((string?)null, default(KeyRole), (string?)null);
        LogRefused(logger, method, refusal.Rule, keyId ?? "-");
        if (keyId is not null)
        {
            audit.Report(new AuditActor(keyId, KeyRoles.Name(role), tenant!, peer, RequestActor.CorrelationId(context.RequestHeaders)), refusal.Rule, refusal.Message, method);
        }

        return ApiErrors.Build(refusal.Code, refusal.Message);
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

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "{Method} refused by rule {Rule} (key {KeyId})")]
    private static partial void LogRefused(ILogger logger, string method, string rule, string keyId);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Tenant {TenantId} rate limited ({Rate}/s)")]
    private static partial void LogRateLimited(ILogger logger, string tenantId, int rate);
}
