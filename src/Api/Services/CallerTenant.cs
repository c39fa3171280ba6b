using Grpc.Core;
using Pool.Api.Auth;

namespace Pool.Api.Services;

/// <summary>The tenant a call acts for: the tenant of its API key.</summary>
internal static class CallerTenant
{
    public static string Of(ServerCallContext context) => Caller.Of(context).TenantId;
}
