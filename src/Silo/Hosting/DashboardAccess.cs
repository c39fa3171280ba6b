using System.Net;
using System.Text;
using Pool.Api.Auth;
using Pool.Contracts.Tenants;

namespace Pool.Silo.Hosting;

/// <summary>
/// Who may open the Orleans Dashboard: anyone on the machine itself (loopback), and from elsewhere
/// only a browser that signs in with an admin API key as its password (HTTP Basic, any user
/// name) or sends it as a bearer token. Everyone else gets 401.
/// </summary>
public static class DashboardAccess
{
    public const string PathPrefix = "/dashboard";

    public static IApplicationBuilder UseDashboardAccess(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(PathPrefix) || context.Request.Path == "/",
            branch => branch.Use(async (context, next) =>
            {
                if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
                {
                    await next(context);
                    return;
                }

                var authenticator = context.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
                var (caller, _) = await authenticator.AuthenticateAsync(PresentedKey(context.Request), context.Connection.RemoteIpAddress, context.RequestAborted);
                if (caller is { Role: KeyRole.Admin })
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"Pool dashboard (password: an admin API key)\"";
            }));

    private static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim();
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
