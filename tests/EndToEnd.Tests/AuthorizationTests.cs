using System.Reflection;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Pool.Api.Auth;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>A Pool with one key of every role: admin (the fixture's), operator and auditor (tenant "operators"), tenant and tenant-readonly (tenant "authz-tenant").</summary>
public sealed class RolesFixture() : HostFixture("authz")
{
    public const string Tenant = "authz-tenant";

    public IReadOnlyDictionary<string, string> Keys { get; private set; } = new Dictionary<string, string>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var tenants = new Tenants.TenantsClient(Admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = Tenant, Name = "Authorization matrix" });
        await tenants.UpdateTenantLimitsAsync(new UpdateTenantLimitsRequest { Tenant = Tenant, Limits = new TenantLimits { RequestsPerSecond = 100_000 } });
        async Task<string> IssueAsync(string tenant, ApiKeyRole role) =>
            (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Role = role, Label = $"matrix {role}" })).Secret;
        Keys = new Dictionary<string, string>
        {
            ["admin"] = AdminKey,
            ["operator"] = await IssueAsync("operators", ApiKeyRole.Operator),
            ["auditor"] = await IssueAsync("operators", ApiKeyRole.Auditor),
            ["tenant"] = await IssueAsync(Tenant, ApiKeyRole.Tenant),
            ["tenant-readonly"] = await IssueAsync(Tenant, ApiKeyRole.TenantReadonly),
        };
    }
}

/// <summary>
/// The authorization matrix: every pool.v1 RPC × every role (allowed, or PERMISSION_DENIED naming the
/// role and the rule), every RPC × every kind of bad key, and a tenant's isolation from another.
/// </summary>
public sealed class AuthorizationTests(RolesFixture fixture) : IClassFixture<RolesFixture>
{
    private const string LeaseId = "ls_0123456789abcdef0123456789abcdef";
    private const string EndpointId = "whe_0123456789abcdef0123";

    // Who may call what, written out here independently of the policy under test.
    private static readonly string[] AdminWrite = ["admin"];
    private static readonly string[] AdminRead = ["admin", "auditor"];
    private static readonly string[] OperatorWrite = ["admin", "operator"];
    private static readonly string[] OperatorRead = ["admin", "operator", "auditor"];
    private static readonly string[] TenantWrite = ["admin", "operator", "tenant"];
    private static readonly string[] TenantRead = ["admin", "operator", "auditor", "tenant", "tenant-readonly"];

    private static readonly string[] s_roles = ["admin", "operator", "auditor", "tenant", "tenant-readonly"];

    /// <summary>Every pool.v1 RPC, as a call any client could make (minimal requests), and the roles that may make it.</summary>
    private static readonly Dictionary<string, (string[] Roles, Func<CallInvoker, Task> Call)> s_rpcs = new()
    {
        ["Leases.CreateLease"] = (TenantWrite, c => new Leases.LeasesClient(c).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Service = "x" }).ResponseAsync),
        ["Leases.GetLease"] = (TenantRead, c => new Leases.LeasesClient(c).GetLeaseAsync(new GetLeaseRequest { LeaseId = LeaseId }).ResponseAsync),
        ["Leases.ReleaseLease"] = (TenantWrite, c => new Leases.LeasesClient(c).ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = LeaseId }).ResponseAsync),
        ["Leases.ExtendLease"] = (TenantWrite, c => new Leases.LeasesClient(c).ExtendLeaseAsync(new ExtendLeaseRequest { LeaseId = LeaseId, ExtendBy = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) }).ResponseAsync),
        ["Leases.ListMessages"] = (TenantRead, c => new Leases.LeasesClient(c).ListMessagesAsync(new ListMessagesRequest { LeaseId = LeaseId }).ResponseAsync),
        ["Leases.RequestAnotherSms"] = (TenantWrite, c => new Leases.LeasesClient(c).RequestAnotherSmsAsync(new RequestAnotherSmsRequest { LeaseId = LeaseId }).ResponseAsync),
        ["Leases.WatchMessages"] = (TenantRead, async c =>
        {
            using var watch = new Leases.LeasesClient(c).WatchMessages(new WatchMessagesRequest { LeaseId = LeaseId });
            await watch.ResponseStream.MoveNext(CancellationToken.None);
        }),
        ["Leases.WatchAllMessages"] = (TenantRead, async c =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            using var watch = new Leases.LeasesClient(c).WatchAllMessages(new WatchAllMessagesRequest(), cancellationToken: timeout.Token);
            try
            {
                await watch.ResponseStream.MoveNext(timeout.Token);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded)
            {
                // Authorized and waiting for a message: the call got through.
            }
        }),
        ["Webhooks.CreateWebhookEndpoint"] = (TenantWrite, c => new Webhooks.WebhooksClient(c).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = "ftp://x" }).ResponseAsync),
        ["Webhooks.ListWebhookEndpoints"] = (TenantRead, c => new Webhooks.WebhooksClient(c).ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest()).ResponseAsync),
        ["Webhooks.DeleteWebhookEndpoint"] = (TenantWrite, c => new Webhooks.WebhooksClient(c).DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { EndpointId = EndpointId }).ResponseAsync),
        ["Webhooks.EnableWebhookEndpoint"] = (TenantWrite, c => new Webhooks.WebhooksClient(c).EnableWebhookEndpointAsync(new EnableWebhookEndpointRequest { EndpointId = EndpointId }).ResponseAsync),
        ["Webhooks.TestWebhookEndpoint"] = (TenantWrite, c => new Webhooks.WebhooksClient(c).TestWebhookEndpointAsync(new TestWebhookEndpointRequest { EndpointId = EndpointId }).ResponseAsync),
        ["Webhooks.ListWebhookDeliveries"] = (TenantRead, c => new Webhooks.WebhooksClient(c).ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest()).ResponseAsync),
        ["Webhooks.ReplayWebhookDelivery"] = (TenantWrite, c => new Webhooks.WebhooksClient(c).ReplayWebhookDeliveryAsync(new ReplayWebhookDeliveryRequest { DeliveryId = "dlv_0123456789abcdef01234567" }).ResponseAsync),
        ["Verification.StartVerification"] = (TenantWrite, c => new Verification.VerificationClient(c).StartVerificationAsync(new StartVerificationRequest { To = "x" }).ResponseAsync),
        ["Verification.CheckVerification"] = (TenantWrite, c => new Verification.VerificationClient(c).CheckVerificationAsync(new CheckVerificationRequest { VerificationId = "ve_0123456789abcdef0123456789abcdef", Code = "123456" }).ResponseAsync),
        ["Verification.GetVerification"] = (TenantRead, c => new Verification.VerificationClient(c).GetVerificationAsync(new GetVerificationRequest { VerificationId = "ve_0123456789abcdef0123456789abcdef" }).ResponseAsync),
        ["Verification.CancelVerification"] = (TenantWrite, c => new Verification.VerificationClient(c).CancelVerificationAsync(new CancelVerificationRequest { VerificationId = "ve_0123456789abcdef0123456789abcdef" }).ResponseAsync),
        ["Verification.ResendVerification"] = (TenantWrite, c => new Verification.VerificationClient(c).ResendVerificationAsync(new ResendVerificationRequest { VerificationId = "ve_0123456789abcdef0123456789abcdef" }).ResponseAsync),
        ["CarrierIntake.ListFlaggedMessages"] = (OperatorRead, c => new CarrierIntake.CarrierIntakeClient(c).ListFlaggedMessagesAsync(new ListFlaggedMessagesRequest()).ResponseAsync),
        ["CarrierIntake.ListStatusReports"] = (OperatorRead, c => new CarrierIntake.CarrierIntakeClient(c).ListStatusReportsAsync(new ListStatusReportsRequest()).ResponseAsync),
        ["Simulator.ListSimulatedRoutes"] = (OperatorRead, c => new Simulator.SimulatorClient(c).ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest()).ResponseAsync),
        ["Simulator.SetSimulatorFaults"] = (OperatorWrite, c => new Simulator.SimulatorClient(c).SetSimulatorFaultsAsync(new SetSimulatorFaultsRequest { Route = "sim-a" }).ResponseAsync),
        ["Simulator.ListSimulatedHandset"] = (OperatorRead, c => new Simulator.SimulatorClient(c).ListSimulatedHandsetAsync(new ListSimulatedHandsetRequest { Route = "sim-a" }).ResponseAsync),
        ["Simulator.SendSimulatedMessage"] = (OperatorWrite, c => new Simulator.SimulatorClient(c).SendSimulatedMessageAsync(new SendSimulatedMessageRequest { Route = "sim-a", From = "x", To = "+85251234567", Text = "x" }).ResponseAsync),
        ["Leases.ListLeases"] = (TenantRead, c => new Leases.LeasesClient(c).ListLeasesAsync(new ListLeasesRequest()).ResponseAsync),
        ["Operations.GetStatus"] = (OperatorRead, c => new Operations.OperationsClient(c).GetStatusAsync(new GetStatusRequest()).ResponseAsync),
        ["Numbers.AddNumbers"] = (OperatorWrite, c => new Numbers.NumbersClient(c).AddNumbersAsync(new AddNumbersRequest { Country = "HK", Numbers = { "+85251234567" } }).ResponseAsync),
        ["Numbers.GetNumber"] = (OperatorRead, c => new Numbers.NumbersClient(c).GetNumberAsync(new GetNumberRequest { Number = "+85251234567" }).ResponseAsync),
        ["Numbers.WatchlistNumber"] = (OperatorWrite, c => new Numbers.NumbersClient(c).WatchlistNumberAsync(new WatchlistNumberRequest { Number = "+85251234567", Reason = "x" }).ResponseAsync),
        ["Numbers.ReinstateNumber"] = (OperatorWrite, c => new Numbers.NumbersClient(c).ReinstateNumberAsync(new ReinstateNumberRequest { Number = "+85251234567" }).ResponseAsync),
        ["Numbers.RetireNumber"] = (OperatorWrite, c => new Numbers.NumbersClient(c).RetireNumberAsync(new RetireNumberRequest { Number = "+85251234567", Reason = "x" }).ResponseAsync),
        ["Numbers.MoveNumber"] = (OperatorWrite, c => new Numbers.NumbersClient(c).MoveNumberAsync(new MoveNumberRequest { Number = "+85251234567", Pool = "hk" }).ResponseAsync),
        ["Pools.CreatePool"] = (OperatorWrite, c => new Pools.PoolsClient(c).CreatePoolAsync(new CreatePoolRequest { Pool = "authz", Country = "HK" }).ResponseAsync),
        ["Pools.GetPool"] = (OperatorRead, c => new Pools.PoolsClient(c).GetPoolAsync(new GetPoolRequest { Pool = "authz" }).ResponseAsync),
        ["Pools.ListPools"] = (OperatorRead, c => new Pools.PoolsClient(c).ListPoolsAsync(new ListPoolsRequest()).ResponseAsync),
        ["Pools.UpdatePoolPolicy"] = (OperatorWrite, c => new Pools.PoolsClient(c).UpdatePoolPolicyAsync(new UpdatePoolPolicyRequest { Pool = "authz" }).ResponseAsync),
        ["Pools.GetPoolStats"] = (OperatorRead, c => new Pools.PoolsClient(c).GetPoolStatsAsync(new GetPoolStatsRequest { Pool = "authz" }).ResponseAsync),
        ["Routes.UpsertRoute"] = (OperatorWrite, c => new Routes.RoutesClient(c).UpsertRouteAsync(new UpsertRouteRequest { RouteId = "authz", Connection = "x", Countries = { "HK" } }).ResponseAsync),
        ["Routes.GetRoute"] = (OperatorRead, c => new Routes.RoutesClient(c).GetRouteAsync(new GetRouteRequest { RouteId = "authz" }).ResponseAsync),
        ["Routes.ListRoutes"] = (OperatorRead, c => new Routes.RoutesClient(c).ListRoutesAsync(new ListRoutesRequest()).ResponseAsync),
        ["Routes.SetRouteOverride"] = (OperatorWrite, c => new Routes.RoutesClient(c).SetRouteOverrideAsync(new SetRouteOverrideRequest { RouteId = "authz", Override = RouteOverride.Drain }).ResponseAsync),
        ["Routes.SetRouteTable"] = (OperatorWrite, c => new Routes.RoutesClient(c).SetRouteTableAsync(new SetRouteTableRequest { Country = "HK", Primary = { "authz" } }).ResponseAsync),
        ["Routes.GetRouteTable"] = (OperatorRead, c => new Routes.RoutesClient(c).GetRouteTableAsync(new GetRouteTableRequest { Country = "HK" }).ResponseAsync),
        ["Routes.ListRouteTables"] = (OperatorRead, c => new Routes.RoutesClient(c).ListRouteTablesAsync(new ListRouteTablesRequest()).ResponseAsync),
        ["Routes.ExplainRoute"] = (OperatorRead, c => new Routes.RoutesClient(c).ExplainRouteAsync(new ExplainRouteRequest { Destination = "+85251234567" }).ResponseAsync),
        ["Tenants.CreateTenant"] = (AdminWrite, c => new Tenants.TenantsClient(c).CreateTenantAsync(new CreateTenantRequest { Tenant = "authz", Name = "x" }).ResponseAsync),
        ["Tenants.ListTenants"] = (AdminRead, c => new Tenants.TenantsClient(c).ListTenantsAsync(new ListTenantsRequest()).ResponseAsync),
        ["Tenants.GetTenant"] = (AdminRead, c => new Tenants.TenantsClient(c).GetTenantAsync(new GetTenantRequest { Tenant = "authz" }).ResponseAsync),
        ["Tenants.UpdateTenantLimits"] = (AdminWrite, c => new Tenants.TenantsClient(c).UpdateTenantLimitsAsync(new UpdateTenantLimitsRequest { Tenant = "authz" }).ResponseAsync),
        ["Tenants.CreateApiKey"] = (AdminWrite, c => new Tenants.TenantsClient(c).CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "authz" }).ResponseAsync),
        ["Tenants.ListApiKeys"] = (AdminRead, c => new Tenants.TenantsClient(c).ListApiKeysAsync(new ListApiKeysRequest { Tenant = "authz" }).ResponseAsync),
        ["Tenants.RevokeApiKey"] = (AdminWrite, c => new Tenants.TenantsClient(c).RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = "pool_0123456789ab" }).ResponseAsync),
        ["Tenants.RotateApiKey"] = (AdminWrite, c => new Tenants.TenantsClient(c).RotateApiKeyAsync(new RotateApiKeyRequest { KeyId = "pool_0123456789ab" }).ResponseAsync),
        ["Audit.ListAuditEvents"] = (AdminRead, c => new Audit.AuditClient(c).ListAuditEventsAsync(new ListAuditEventsRequest()).ResponseAsync),
        ["Privacy.EraseEndUser"] = (AdminWrite, c => new Privacy.PrivacyClient(c).EraseEndUserAsync(new EraseEndUserRequest { Number = "x" }).ResponseAsync),
    };

    public static TheoryData<string> Rpcs => [.. s_rpcs.Keys];

    public static TheoryData<string, string> RpcsByRole
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var rpc in s_rpcs.Keys)
            {
                foreach (var role in s_roles)
                {
                    data.Add(rpc, role);
                }
            }

            return data;
        }
    }

    private Tenants.TenantsClient Admin => new(fixture.Admin);

    /// <summary>Every method of every pool.v1 service the client library knows, as "/pool.v1.Service/Method".</summary>
    private static IReadOnlyList<string> DescribedRpcs() =>
    [
        .. typeof(Leases).Assembly.GetTypes()
            .Select(type => type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(property => property?.PropertyType == typeof(FileDescriptor))
            .Select(property => (FileDescriptor)property!.GetValue(null)!)
            .Where(file => file.Package == "pool.v1")
            .SelectMany(file => file.Services)
            .SelectMany(service => service.Methods.Select(method => $"/{service.FullName}/{method.Name}"))
            .Distinct(),
    ];

    private async Task<string> TenantKeyAsync(string tenant)
    {
        await Admin.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        return (await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Label = "tests" })).Secret;
    }

    private static async Task<RpcException?> ErrorOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }

    private static async Task<StatusCode> StatusOfAsync(Func<Task> call) => (await ErrorOfAsync(call))?.StatusCode ?? StatusCode.OK;

    [Fact]
    public void Every_described_rpc_has_an_authorization_rule_and_a_row_in_this_matrix()
    {
        var described = DescribedRpcs();

        Assert.True(described.Count >= 50, $"the pool.v1 descriptors list {described.Count} methods");
        var withoutRule = described.Where(rpc => !AuthorizationPolicy.Rules.ContainsKey(rpc)).ToList();
        var withoutRow = described.Where(rpc => !s_rpcs.ContainsKey(rpc[9..].Replace('/', '.'))).ToList();
        var ruleOfNothing = AuthorizationPolicy.Rules.Keys.Where(rpc => !described.Contains(rpc)).ToList();

        Assert.True(withoutRule.Count == 0, $"RPCs without an authorization rule (add one to AuthorizationPolicy.Rules): {string.Join(", ", withoutRule)}");
        Assert.True(withoutRow.Count == 0, $"RPCs missing from this matrix (add a row to s_rpcs): {string.Join(", ", withoutRow)}");
        Assert.True(ruleOfNothing.Count == 0, $"rules for methods no service describes: {string.Join(", ", ruleOfNothing)}");
    }

    [Fact]
    public void The_policy_gives_the_audit_log_to_admins_and_auditors_and_erasure_to_admins_only()
    {
        Assert.Equal(AdminRead, AuthorizationPolicy.Rules["/pool.v1.Audit/ListAuditEvents"].RoleNames.Split(", "));
        Assert.Equal(AdminWrite, AuthorizationPolicy.Rules["/pool.v1.Privacy/EraseEndUser"].RoleNames.Split(", "));
    }

    [Fact]
    public void A_method_without_a_rule_is_refused_to_every_role_even_admin()
    {
        foreach (var role in Pool.Contracts.Tenants.KeyRoles.All)
        {
            var refusal = AuthorizationPolicy.Refusal(role, "/pool.v1.Nowhere/DoAnything");

            Assert.Equal(
                $"role {Pool.Contracts.Tenants.KeyRoles.Name(role)} may not call pool.v1.Nowhere/DoAnything: no authorization rule covers that method, so nobody may call it",
                refusal);
        }
    }

    [Theory]
    [MemberData(nameof(RpcsByRole))]
    public async Task Every_rpc_is_allowed_to_exactly_the_roles_of_its_rule_and_denied_to_the_others_by_name(string rpc, string role)
    {
        var (roles, call) = s_rpcs[rpc];

        var error = await ErrorOfAsync(() => call(fixture.As(fixture.Keys[role])));

        if (roles.Contains(role))
        {
            Assert.False(
                error?.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated,
                $"role {role} may call {rpc}, but it was refused: {error?.Status}");
        }
        else
        {
            Assert.NotNull(error);
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
            Assert.StartsWith($"role {role} may not call pool.v1.{rpc.Replace('.', '/')}: the rule '", error.Status.Detail, StringComparison.Ordinal);
            Assert.EndsWith($"' allows only {string.Join(", ", roles)}", error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task Every_rpc_refuses_a_call_without_a_key_or_with_a_bad_or_revoked_key(string rpc)
    {
        var call = s_rpcs[rpc].Call;
        var issued = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "operators", Role = ApiKeyRole.Admin, Label = "revoked" });
        await Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = issued.Key.KeyId });

        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As(""))));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As("not-a-key"))));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As("pool_0123456789ab_" + new string('A', 43)))));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As(fixture.AdminKey[..^1] + (fixture.AdminKey[^1] == 'A' ? 'B' : 'A')))));
        var revoked = await ErrorOfAsync(() => call(fixture.As(issued.Secret)));
        Assert.Equal(StatusCode.Unauthenticated, revoked?.StatusCode);
        Assert.StartsWith($"the API key {issued.Key.KeyId} was revoked at ", revoked!.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_never_sees_or_touches_another_tenants_lease()
    {
        var (pool, numbers) = PoolFixture.NewPool(1);
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        var owner = new Leases.LeasesClient(fixture.As(await TenantKeyAsync($"a-{Guid.NewGuid():n}"[..12])));
        var other = new Leases.LeasesClient(fixture.As(await TenantKeyAsync($"b-{Guid.NewGuid():n}"[..12])));
        var lease = await owner.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });

        var get = await StatusOfAsync(() => other.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId }).ResponseAsync);
        var release = await StatusOfAsync(() => other.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId }).ResponseAsync);
        var extend = await StatusOfAsync(() => other.ExtendLeaseAsync(new ExtendLeaseRequest { LeaseId = lease.LeaseId, ExtendBy = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) }).ResponseAsync);
        await Pool.Testing.Eventually.ReturnsAsync(
            async () => (await owner.ListLeasesAsync(new ListLeasesRequest())).Leases.Count, n => n == 1, TimeSpan.FromSeconds(10), "the owner's lease in its listing");
        var othersList = await other.ListLeasesAsync(new ListLeasesRequest());
        var unknown = await StatusOfAsync(() => other.GetLeaseAsync(new GetLeaseRequest { LeaseId = LeaseId }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, get);
        Assert.Equal(StatusCode.NotFound, release);
        Assert.Equal(StatusCode.NotFound, extend);
        Assert.Empty(othersList.Leases);
        Assert.Equal(StatusCode.NotFound, unknown);
        Assert.Equal(LeaseState.Active, (await owner.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId })).State);
    }

    [Fact]
    public async Task Health_is_served_without_a_key()
    {
        var health = await new Health.HealthClient(fixture.As("")).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Keys_are_listed_without_secrets_and_a_revoked_key_stops_working_at_once_when_never_cached()
    {
        var tenant = $"k-{Guid.NewGuid():n}"[..12];
        await Admin.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = "Keys Ltd" });
        var issued = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Label = "ci" });

        var listed = await Admin.ListApiKeysAsync(new ListApiKeysRequest { Tenant = tenant });
        var revoked = await Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = issued.Key.KeyId });
        var again = await Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = issued.Key.KeyId });
        var refused = await StatusOfAsync(() => new Leases.LeasesClient(fixture.As(issued.Secret)).ListLeasesAsync(new ListLeasesRequest()).ResponseAsync);

        Assert.StartsWith(issued.Key.KeyId + "_", issued.Secret, StringComparison.Ordinal);
        Assert.Equal([issued.Key.KeyId], listed.Keys.Select(k => k.KeyId));
        Assert.DoesNotContain(issued.Secret[(issued.Key.KeyId.Length + 1)..], listed.ToString(), StringComparison.Ordinal);
        Assert.NotNull(revoked.RevokeTime);
        Assert.Equal(revoked.RevokeTime, again.RevokeTime);
        Assert.Equal(StatusCode.Unauthenticated, refused);
    }
}
