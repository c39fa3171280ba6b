using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>The authorization matrix: every RPC × {no key, malformed key, unknown key, revoked key, tenant key on an operator call, another tenant}.</summary>
public sealed class AuthorizationTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private const string LeaseId = "ls_0123456789abcdef0123456789abcdef";
    private const string EndpointId = "whe_0123456789abcdef0123";

    /// <summary>Every pool.v1 RPC, as a call any client could make; whether it needs an admin key.</summary>
    private static readonly Dictionary<string, (bool Admin, Func<CallInvoker, Task> Call)> s_rpcs = new()
    {
        ["Leases.CreateLease"] = (false, c => new Leases.LeasesClient(c).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Service = "x" }).ResponseAsync),
        ["Leases.GetLease"] = (false, c => new Leases.LeasesClient(c).GetLeaseAsync(new GetLeaseRequest { LeaseId = LeaseId }).ResponseAsync),
        ["Leases.ReleaseLease"] = (false, c => new Leases.LeasesClient(c).ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = LeaseId }).ResponseAsync),
        ["Leases.ExtendLease"] = (false, c => new Leases.LeasesClient(c).ExtendLeaseAsync(new ExtendLeaseRequest { LeaseId = LeaseId, ExtendBy = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) }).ResponseAsync),
        ["Leases.ListMessages"] = (false, c => new Leases.LeasesClient(c).ListMessagesAsync(new ListMessagesRequest { LeaseId = LeaseId }).ResponseAsync),
        ["Leases.RequestAnotherSms"] = (false, c => new Leases.LeasesClient(c).RequestAnotherSmsAsync(new RequestAnotherSmsRequest { LeaseId = LeaseId }).ResponseAsync),
        ["Leases.WatchMessages"] = (false, async c =>
        {
            using var watch = new Leases.LeasesClient(c).WatchMessages(new WatchMessagesRequest { LeaseId = LeaseId });
            await watch.ResponseStream.MoveNext(CancellationToken.None);
        }),
        ["Leases.WatchAllMessages"] = (false, async c =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            using var watch = new Leases.LeasesClient(c).WatchAllMessages(new WatchAllMessagesRequest(), cancellationToken: timeout.Token);
            try
            {
                await watch.ResponseStream.MoveNext(timeout.Token);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
            {
                // Authorized and waiting for a message: the call got through.
            }
        }),
        ["Webhooks.CreateWebhookEndpoint"] = (false, c => new Webhooks.WebhooksClient(c).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = "ftp://x" }).ResponseAsync),
        ["Webhooks.ListWebhookEndpoints"] = (false, c => new Webhooks.WebhooksClient(c).ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest()).ResponseAsync),
        ["Webhooks.DeleteWebhookEndpoint"] = (false, c => new Webhooks.WebhooksClient(c).DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { EndpointId = EndpointId }).ResponseAsync),
        ["Webhooks.EnableWebhookEndpoint"] = (false, c => new Webhooks.WebhooksClient(c).EnableWebhookEndpointAsync(new EnableWebhookEndpointRequest { EndpointId = EndpointId }).ResponseAsync),
        ["Webhooks.TestWebhookEndpoint"] = (false, c => new Webhooks.WebhooksClient(c).TestWebhookEndpointAsync(new TestWebhookEndpointRequest { EndpointId = EndpointId }).ResponseAsync),
        ["Webhooks.ListWebhookDeliveries"] = (false, c => new Webhooks.WebhooksClient(c).ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest()).ResponseAsync),
        ["Webhooks.ReplayWebhookDelivery"] = (false, c => new Webhooks.WebhooksClient(c).ReplayWebhookDeliveryAsync(new ReplayWebhookDeliveryRequest { DeliveryId = "dlv_0123456789abcdef01234567" }).ResponseAsync),
        ["Verification.StartVerification"] = (false, c => new Verification.VerificationClient(c).StartVerificationAsync(new StartVerificationRequest { To = "x" }).ResponseAsync),
        ["Verification.CheckVerification"] = (false, c => new Verification.VerificationClient(c).CheckVerificationAsync(new CheckVerificationRequest { VerificationId = "ve_0123456789abcdef0123456789abcdef", Code = "123456" }).ResponseAsync),
        ["Verification.GetVerification"] = (false, c => new Verification.VerificationClient(c).GetVerificationAsync(new GetVerificationRequest { VerificationId = "ve_0123456789abcdef0123456789abcdef" }).ResponseAsync),
        ["Verification.CancelVerification"] = (false, c => new Verification.VerificationClient(c).CancelVerificationAsync(new CancelVerificationRequest { VerificationId = "ve_0123456789abcdef0123456789abcdef" }).ResponseAsync),
        ["Verification.ResendVerification"] = (false, c => new Verification.VerificationClient(c).ResendVerificationAsync(new ResendVerificationRequest { VerificationId = "ve_0123456789abcdef0123456789abcdef" }).ResponseAsync),
        ["Audit.ListAuditEvents"] = (true, c => new Audit.AuditClient(c).ListAuditEventsAsync(new ListAuditEventsRequest()).ResponseAsync),
        ["CarrierIntake.ListFlaggedMessages"] = (true, c => new CarrierIntake.CarrierIntakeClient(c).ListFlaggedMessagesAsync(new ListFlaggedMessagesRequest()).ResponseAsync),
        ["CarrierIntake.ListStatusReports"] = (true, c => new CarrierIntake.CarrierIntakeClient(c).ListStatusReportsAsync(new ListStatusReportsRequest()).ResponseAsync),
        ["Simulator.ListSimulatedRoutes"] = (true, c => new Simulator.SimulatorClient(c).ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest()).ResponseAsync),
        ["Simulator.SetSimulatorFaults"] = (true, c => new Simulator.SimulatorClient(c).SetSimulatorFaultsAsync(new SetSimulatorFaultsRequest { Route = "sim-a" }).ResponseAsync),
        ["Simulator.ListSimulatedHandset"] = (true, c => new Simulator.SimulatorClient(c).ListSimulatedHandsetAsync(new ListSimulatedHandsetRequest { Route = "sim-a" }).ResponseAsync),
        ["Simulator.SendSimulatedMessage"] = (true, c => new Simulator.SimulatorClient(c).SendSimulatedMessageAsync(new SendSimulatedMessageRequest { Route = "sim-a", From = "x", To = "+85251234567", Text = "x" }).ResponseAsync),
        ["Leases.ListLeases"] = (false, c => new Leases.LeasesClient(c).ListLeasesAsync(new ListLeasesRequest()).ResponseAsync),
        ["Operations.GetStatus"] = (true, c => new Operations.OperationsClient(c).GetStatusAsync(new GetStatusRequest()).ResponseAsync),
        ["Numbers.AddNumbers"] = (true, c => new Numbers.NumbersClient(c).AddNumbersAsync(new AddNumbersRequest { Country = "HK", Numbers = { "+85251234567" } }).ResponseAsync),
        ["Numbers.GetNumber"] = (true, c => new Numbers.NumbersClient(c).GetNumberAsync(new GetNumberRequest { Number = "+85251234567" }).ResponseAsync),
        ["Numbers.WatchlistNumber"] = (true, c => new Numbers.NumbersClient(c).WatchlistNumberAsync(new WatchlistNumberRequest { Number = "+85251234567", Reason = "x" }).ResponseAsync),
        ["Numbers.ReinstateNumber"] = (true, c => new Numbers.NumbersClient(c).ReinstateNumberAsync(new ReinstateNumberRequest { Number = "+85251234567" }).ResponseAsync),
        ["Numbers.RetireNumber"] = (true, c => new Numbers.NumbersClient(c).RetireNumberAsync(new RetireNumberRequest { Number = "+85251234567", Reason = "x" }).ResponseAsync),
        ["Numbers.MoveNumber"] = (true, c => new Numbers.NumbersClient(c).MoveNumberAsync(new MoveNumberRequest { Number = "+85251234567", Pool = "hk" }).ResponseAsync),
        ["Pools.CreatePool"] = (true, c => new Pools.PoolsClient(c).CreatePoolAsync(new CreatePoolRequest { Pool = "authz", Country = "HK" }).ResponseAsync),
        ["Pools.GetPool"] = (true, c => new Pools.PoolsClient(c).GetPoolAsync(new GetPoolRequest { Pool = "authz" }).ResponseAsync),
        ["Pools.ListPools"] = (true, c => new Pools.PoolsClient(c).ListPoolsAsync(new ListPoolsRequest()).ResponseAsync),
        ["Pools.UpdatePoolPolicy"] = (true, c => new Pools.PoolsClient(c).UpdatePoolPolicyAsync(new UpdatePoolPolicyRequest { Pool = "authz" }).ResponseAsync),
        ["Pools.GetPoolStats"] = (true, c => new Pools.PoolsClient(c).GetPoolStatsAsync(new GetPoolStatsRequest { Pool = "authz" }).ResponseAsync),
        ["Routes.UpsertRoute"] = (true, c => new Routes.RoutesClient(c).UpsertRouteAsync(new UpsertRouteRequest { RouteId = "authz", Connection = "x", Countries = { "HK" } }).ResponseAsync),
        ["Routes.GetRoute"] = (true, c => new Routes.RoutesClient(c).GetRouteAsync(new GetRouteRequest { RouteId = "authz" }).ResponseAsync),
        ["Routes.ListRoutes"] = (true, c => new Routes.RoutesClient(c).ListRoutesAsync(new ListRoutesRequest()).ResponseAsync),
        ["Routes.SetRouteOverride"] = (true, c => new Routes.RoutesClient(c).SetRouteOverrideAsync(new SetRouteOverrideRequest { RouteId = "authz", Override = RouteOverride.Drain }).ResponseAsync),
        ["Routes.SetRouteTable"] = (true, c => new Routes.RoutesClient(c).SetRouteTableAsync(new SetRouteTableRequest { Country = "HK", Primary = { "authz" } }).ResponseAsync),
        ["Routes.GetRouteTable"] = (true, c => new Routes.RoutesClient(c).GetRouteTableAsync(new GetRouteTableRequest { Country = "HK" }).ResponseAsync),
        ["Routes.ListRouteTables"] = (true, c => new Routes.RoutesClient(c).ListRouteTablesAsync(new ListRouteTablesRequest()).ResponseAsync),
        ["Routes.ExplainRoute"] = (true, c => new Routes.RoutesClient(c).ExplainRouteAsync(new ExplainRouteRequest { Destination = "+85251234567" }).ResponseAsync),
        ["Tenants.CreateTenant"] = (true, c => new Tenants.TenantsClient(c).CreateTenantAsync(new CreateTenantRequest { Tenant = "authz", Name = "x" }).ResponseAsync),
        ["Tenants.ListTenants"] = (true, c => new Tenants.TenantsClient(c).ListTenantsAsync(new ListTenantsRequest()).ResponseAsync),
        ["Tenants.GetTenant"] = (true, c => new Tenants.TenantsClient(c).GetTenantAsync(new GetTenantRequest { Tenant = "authz" }).ResponseAsync),
        ["Tenants.UpdateTenantLimits"] = (true, c => new Tenants.TenantsClient(c).UpdateTenantLimitsAsync(new UpdateTenantLimitsRequest { Tenant = "authz" }).ResponseAsync),
        ["Tenants.CreateApiKey"] = (true, c => new Tenants.TenantsClient(c).CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "authz" }).ResponseAsync),
        ["Tenants.ListApiKeys"] = (true, c => new Tenants.TenantsClient(c).ListApiKeysAsync(new ListApiKeysRequest { Tenant = "authz" }).ResponseAsync),
        ["Tenants.RevokeApiKey"] = (true, c => new Tenants.TenantsClient(c).RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = "pool_0123456789ab" }).ResponseAsync),
    };

    public static TheoryData<string> Rpcs => [.. s_rpcs.Keys];

    public static TheoryData<string> AdminRpcs => [.. s_rpcs.Where(r => r.Value.Admin).Select(r => r.Key)];

    private Tenants.TenantsClient Admin => new(fixture.Admin);

    private async Task<string> TenantKeyAsync(string tenant)
    {
        await Admin.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        return (await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Label = "tests" })).Secret;
    }

    private static async Task<StatusCode> StatusOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task Every_rpc_refuses_a_call_without_a_key_or_with_a_bad_or_revoked_key(string rpc)
    {
        var call = s_rpcs[rpc].Call;
        var issued = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "operators", Scope = ApiKeyScope.Admin, Label = "revoked" });
        await Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = issued.Key.KeyId });

        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As(""))));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As("not-a-key"))));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As("pool_0123456789ab_" + new string('A', 43)))));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As(fixture.AdminKey[..^1] + (fixture.AdminKey[^1] == 'A' ? 'B' : 'A')))));
        Assert.Equal(StatusCode.Unauthenticated, await StatusOfAsync(() => call(fixture.As(issued.Secret))));
    }

    [Theory]
    [MemberData(nameof(AdminRpcs))]
    public async Task Operator_rpcs_refuse_a_tenant_key(string rpc)
    {
        var key = await TenantKeyAsync($"t-{Guid.NewGuid():n}"[..12]);

        var status = await StatusOfAsync(() => s_rpcs[rpc].Call(fixture.As(key)));

        Assert.Equal(StatusCode.PermissionDenied, status);
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
