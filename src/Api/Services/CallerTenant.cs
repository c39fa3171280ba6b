using Grpc.Core;

namespace Pool.Api.Services;

/// <summary>
/// Who is calling. Until tenants and API keys exist every caller acts as the single tenant
/// <see cref="Default"/>; services already pass the tenant down to the grains, which enforce ownership.
/// </summary>
internal static class CallerTenant
{
    public const string Default = "default";

    public static string Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Default;
    }
}
