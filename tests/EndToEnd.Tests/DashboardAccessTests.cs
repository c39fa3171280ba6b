using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pool.Silo.Hosting;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>The dashboard is open on the machine itself and needs an admin key (used from an address its allowlist allows) from anywhere else.</summary>
public sealed class DashboardAccessTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    /// <summary>Runs one request through the dashboard's access check (no network: the remote address is set by hand).</summary>
    private async Task<HttpResponse> RequestAsync(string remote, string? authorization)
    {
        var app = new ApplicationBuilder(fixture.Pool.Services);
        app.UseDashboardAccess();
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        var context = new DefaultHttpContext { RequestServices = fixture.Pool.Services };
        context.Request.Path = "/dashboard/";
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        await app.Build()(context);
        return context.Response;
    }

    private static string Basic(string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{password}"));

    [Fact]
    public async Task Loopback_opens_the_dashboard_without_a_key()
    {
        Assert.Equal(200, (await RequestAsync("127.0.0.1", null)).StatusCode);
    }

    [Fact]
    public async Task From_elsewhere_the_dashboard_asks_for_an_admin_key()
    {
        var tenants = new Tenants.TenantsClient(fixture.Admin);
        var tenant = $"d-{Guid.NewGuid():n}"[..12];
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        var tenantKey = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant })).Secret;

        var anonymous = await RequestAsync("10.1.2.3", null);
        var withTenantKey = await RequestAsync("10.1.2.3", Basic(tenantKey));
        var withAdminKey = await RequestAsync("10.1.2.3", Basic(fixture.AdminKey));
        var withBearer = await RequestAsync("10.1.2.3", $"Bearer {fixture.AdminKey}");

        Assert.Equal(401, anonymous.StatusCode);
        Assert.StartsWith("Basic", anonymous.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(401, withTenantKey.StatusCode);
        Assert.Equal(200, withAdminKey.StatusCode);
        Assert.Equal(200, withBearer.StatusCode);
    }

    [Fact]
    public async Task From_elsewhere_an_operator_or_auditor_key_or_an_admin_key_outside_its_allowlist_gets_401()
    {
        var tenants = new Tenants.TenantsClient(fixture.Admin);
        async Task<string> IssueAsync(ApiKeyRole role, params string[] cidrs) =>
            (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "operators", Role = role, AllowedCidrs = { cidrs } })).Secret;
        var operatorKey = await IssueAsync(ApiKeyRole.Operator);
        var auditorKey = await IssueAsync(ApiKeyRole.Auditor);
        var fencedAdmin = await IssueAsync(ApiKeyRole.Admin, "10.0.0.0/8");

        var withOperatorKey = await RequestAsync("10.1.2.3", Basic(operatorKey));
        var withAuditorKey = await RequestAsync("10.1.2.3", Basic(auditorKey));
        var fencedInside = await RequestAsync("10.1.2.3", Basic(fencedAdmin));
        var fencedOutside = await RequestAsync("192.0.2.7", Basic(fencedAdmin));

        Assert.Equal(401, withOperatorKey.StatusCode);
        Assert.Equal(401, withAuditorKey.StatusCode);
        Assert.Equal(200, fencedInside.StatusCode);
        Assert.Equal(401, fencedOutside.StatusCode);
    }
}
