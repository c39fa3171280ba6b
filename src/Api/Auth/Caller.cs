using Grpc.Core;
using Pool.Contracts.Tenants;

namespace Pool.Api.Auth;

/// <summary>Who is calling: the tenant and role of the API key the call carried.</summary>
public sealed record Caller(string TenantId, KeyRole Role, string KeyId, int RequestsPerSecond)
{
    private const string UserStateKey = "pool.caller";

    /// <summary>The key's role as the audit log and refusals name it ("tenant-readonly").</summary>
    public string RoleName => KeyRoles.Name(Role);

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
