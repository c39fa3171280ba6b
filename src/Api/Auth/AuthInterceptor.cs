using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Pool.Api.Errors;
using Pool.Contracts.Audit;

namespace Pool.Api.Auth;

/// <summary>
/// Every pool.v1 call carries an API key; operator services need an admin-scope key. Health and
/// reflection are open (probes and tools use them without credentials).
/// </summary>
public sealed partial class AuthInterceptor(ApiKeyAuthenticator authenticator, TenantRateLimiter limiter, ILogger<AuthInterceptor> logger) : Interceptor
{
    private static readonly string[] s_open = ["/grpc.health.v1.Health/", "/grpc.reflection."];
    private static readonly string[] s_adminOnly = ["/pool.v1.Audit/", "/pool.v1.CarrierIntake/", "/pool.v1.Numbers/", "/pool.v1.Operations/", "/pool.v1.Pools/", "/pool.v1.Privacy/", "/pool.v1.Routes/", "/pool.v1.Simulator/", "/pool.v1.Tenants/"];

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

        var (caller, refusal) = await authenticator.AuthenticateAsync(PresentedKey(context.RequestHeaders), context.CancellationToken);
        if (caller is null)
        {
            LogRefused(logger, method, refusal!);
            throw ApiErrors.Build(Google.Rpc.Code.Unauthenticated, refusal!);
        }

        if (!caller.IsAdmin && s_adminOnly.Any(prefix => method.StartsWith(prefix, StringComparison.Ordinal)))
        {
            LogForbidden(logger, method, caller.KeyId);
            throw ApiErrors.Build(Google.Rpc.Code.PermissionDenied, $"{method.TrimStart('/')} is an operator call: it needs an admin-scope API key");
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

    private static string? PresentedKey(Metadata headers)
    {
        var authorization = headers.GetValue("authorization");
        if (authorization is not null)
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : authorization.Trim();
        }

        return headers.GetValue("x-api-key")?.Trim();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "{Method} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Tenant {TenantId} rate limited ({Rate}/s)")]
    private static partial void LogRateLimited(ILogger logger, string tenantId, int rate);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "{Method} refused to tenant key {KeyId}: operator call")]
    private static partial void LogForbidden(ILogger logger, string method, string keyId);
}
