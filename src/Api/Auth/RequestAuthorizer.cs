using System.Net;
using Microsoft.Extensions.Logging;
using Pool.Contracts.Audit;
using Pool.Contracts.Tenants;

namespace Pool.Api.Auth;

/// <summary>
/// The one authorization rule of every front door (the gRPC interceptor, the sms-activate endpoint):
/// the key must be live and valid, the call must come from an address in the key's allowlist,
/// <see cref="AuthorizationPolicy"/> must allow the key's role to call the method, and the tenant must
/// be within its rate limit. A refusal says which rule refused it; refusals of existing keys are
/// audited (<see cref="RefusalAudit"/>).
/// </summary>
public sealed partial class RequestAuthorizer(ApiKeyAuthenticator authenticator, TenantRateLimiter limiter, RefusalAudit audit, ILogger<RequestAuthorizer> logger)
{
    /// <summary>
    /// Authorizes a call of <paramref name="method"/> (a pool.v1 method name such as
    /// "/pool.v1.Leases/CreateLease", whose rule applies) with <paramref name="key"/> from
    /// <paramref name="peer"/> (an IP address, or null when unknown). A refusal's log line and audit row
    /// name <paramref name="target"/> when not null (what the caller asked for, e.g. "sms-activate/getNumber"),
    /// else the method.
    /// </summary>
    public async Task<RequestAuthorization> AuthorizeAsync(string? key, string? peer, string method, string? target, string? correlationId, CancellationToken cancellationToken)
    {
        target ??= method;
        var (caller, refusal) = await authenticator.AuthenticateAsync(key, peer is null ? null : IPAddress.Parse(peer), cancellationToken);
        if (caller is null)
        {
            return Refuse(refusal!, target, peer, correlationId);
        }

        if (AuthorizationPolicy.Refusal(caller.Role, method) is { } forbidden)
        {
            return Refuse(KeyRefusal.PermissionDenied(KeyRefusal.Role, forbidden), target, peer, correlationId, caller);
        }

        var actor = new AuditActor(caller.KeyId, caller.RoleName, caller.TenantId, peer, correlationId);
        var (allowed, retryAfter) = limiter.TryAcquire(caller.TenantId, caller.RequestsPerSecond);
        if (!allowed)
        {
            LogRateLimited(logger, caller.TenantId, caller.RequestsPerSecond);
            return new RequestAuthorization(caller, actor, null, retryAfter);
        }

        return new RequestAuthorization(caller, actor, null, null);
    }

    /// <summary>The refusal, logged and (when it names an existing key) audited.</summary>
    private RequestAuthorization Refuse(KeyRefusal refusal, string target, string? peer, string? correlationId, Caller? caller = null)
    {
        var (keyId, role, tenant) = refusal.Key is { } key ? (key.KeyId, key.Role, key.TenantId)
            : caller is not null ? (caller.KeyId, caller.Role, caller.TenantId)
            : ((string?)null, default(KeyRole), (string?)null);
        LogRefused(logger, target, refusal.Rule, keyId ?? "-");
        if (keyId is not null)
        {
            audit.Report(new AuditActor(keyId, KeyRoles.Name(role), tenant!, peer, correlationId), refusal.Rule, refusal.Message, target);
        }

        return new RequestAuthorization(null, null, refusal, null);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "{Method} refused by rule {Rule} (key {KeyId})")]
    private static partial void LogRefused(ILogger logger, string method, string rule, string keyId);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Tenant {TenantId} rate limited ({Rate}/s)")]
    private static partial void LogRateLimited(ILogger logger, string tenantId, int rate);
}

/// <summary>
/// What <see cref="RequestAuthorizer"/> decided: allowed (<see cref="Caller"/> and <see cref="Actor"/>
/// set, nothing else), refused (<see cref="Refusal"/> set), or rate limited (<see cref="RetryAfter"/> set:
/// when the tenant's next call may go through).
/// </summary>
public sealed record RequestAuthorization(Caller? Caller, AuditActor? Actor, KeyRefusal? Refusal, TimeSpan? RetryAfter)
{
    public bool Allowed => Caller is not null && RetryAfter is null;
}
