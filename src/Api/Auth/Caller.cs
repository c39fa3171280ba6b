using Grpc.Core;
using Pool.Contracts.Tenants;

namespace Pool.Api.Auth;

/// <summary>Who is calling: the tenant and scope of the API key the call carried.</summary>
public sealed record Caller(string TenantId, KeyScope Scope, string KeyId, int RequestsPerSecond)
{
    private const string UserStateKey = "pool.caller";

    public bool IsAdmin => Scope == KeyScope.Admin;

    /// <summary>The key's role as the audit log names it.</summary>
    public string Role => Scope == KeyScope.Admin ? "admin" : "tenant";

    /// <summary>The caller the authentication interceptor attached to this call.</summary>
    public static Caller Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(UserStateKey, out var caller) && caller is Caller known
            ? known
            : throw new InvalidOperationException("the call reached a service without passing authentication");
    }

    internal void AttachTo(ServerCallContext context) => context.UserState[UserStateKey] = this;
}
