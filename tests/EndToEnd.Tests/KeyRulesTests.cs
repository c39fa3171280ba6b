using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>Key expiry and address allowlists over IPv4, each refusal saying which rule refused the call.</summary>
public sealed class KeyRulesTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private Tenants.TenantsClient Admin => new(fixture.Admin);

    private async Task<string> NewTenantAsync()
    {
        var tenant = $"kr-{Guid.NewGuid():n}"[..14];
        await Admin.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        return tenant;
    }

    private async Task<CreateApiKeyResponse> IssueAsync(Action<CreateApiKeyRequest> terms)
    {
        var request = new CreateApiKeyRequest { Tenant = await NewTenantAsync(), Label = "key rules" };
        terms(request);
        return await Admin.CreateApiKeyAsync(request);
    }

    private static async Task<RpcException?> ListLeasesErrorAsync(CallInvoker invoker)
    {
        try
        {
            await new Leases.LeasesClient(invoker).ListLeasesAsync(new ListLeasesRequest());
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }

    [Fact]
    public async Task A_key_works_until_its_expiry_then_is_unauthenticated_with_a_message_naming_the_expiry()
    {
        var expires = DateTimeOffset.UtcNow.AddSeconds(4);
        var issued = await IssueAsync(r => r.ExpireTime = Timestamp.FromDateTimeOffset(expires));

        var before = await ListLeasesErrorAsync(fixture.As(issued.Secret));
        var after = await Eventually.ReturnsAsync(
            () => ListLeasesErrorAsync(fixture.As(issued.Secret)), error => error is not null, TimeSpan.FromSeconds(20), $"the key {issued.Key.KeyId} to be refused once it expired");

        Assert.Null(before);
        Assert.Equal(expires.ToUnixTimeSeconds(), issued.Key.ExpireTime.ToDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(StatusCode.Unauthenticated, after!.StatusCode);
        Assert.Equal($"the API key {issued.Key.KeyId} expired at {expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}", after.Status.Detail);
    }

    [Fact]
    public async Task A_key_cannot_be_issued_already_expired_or_for_more_than_ten_years()
    {
        var tenant = await NewTenantAsync();

        var past = await Assert.ThrowsAsync<RpcException>(() => Admin.CreateApiKeyAsync(
            new CreateApiKeyRequest { Tenant = tenant, ExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)) }).ResponseAsync);
        var far = await Assert.ThrowsAsync<RpcException>(() => Admin.CreateApiKeyAsync(
            new CreateApiKeyRequest { Tenant = tenant, ExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddYears(11)) }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, past.StatusCode);
        Assert.Equal("expire_time must be in the future and at most 10 years ahead", past.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, far.StatusCode);
        Assert.Empty((await Admin.ListApiKeysAsync(new ListApiKeysRequest { Tenant = tenant })).Keys);
    }

    [Fact]
    public async Task A_key_allowing_only_10_0_0_0_8_is_denied_from_127_0_0_1_with_a_message_naming_the_address_and_key()
    {
        var issued = await IssueAsync(r => r.AllowedCidrs.Add("10.0.0.0/8"));

        var error = await ListLeasesErrorAsync(fixture.As(issued.Secret));

        Assert.Equal(["10.0.0.0/8"], issued.Key.AllowedCidrs);
        Assert.Equal(StatusCode.PermissionDenied, error?.StatusCode);
        Assert.Equal($"address 127.0.0.1 is not in the allowlist of key {issued.Key.KeyId}", error!.Status.Detail);
    }

    [Fact]
    public async Task A_key_allowing_127_0_0_0_8_works_from_127_0_0_1_and_a_bare_address_is_one_host()
    {
        var network = await IssueAsync(r => r.AllowedCidrs.Add("127.0.0.0/8"));
        var host = await IssueAsync(r => { r.AllowedCidrs.Add("10.9.8.7"); r.AllowedCidrs.Add("127.0.0.1"); });

        Assert.Null(await ListLeasesErrorAsync(fixture.As(network.Secret)));
        Assert.Null(await ListLeasesErrorAsync(fixture.As(host.Secret)));
        Assert.Equal(["10.9.8.7/32", "127.0.0.1/32"], host.Key.AllowedCidrs);
    }

    [Fact]
    public async Task An_allowlist_entry_that_is_not_a_network_is_refused_naming_its_index()
    {
        var tenant = await NewTenantAsync();
        var request = new CreateApiKeyRequest { Tenant = tenant, AllowedCidrs = { "127.0.0.0/8", "10.1.2.3/8", "not-a-network", "::1/129" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => Admin.CreateApiKeyAsync(request).ResponseAsync);
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => Admin.CreateApiKeyAsync(
            new CreateApiKeyRequest { Tenant = tenant, AllowedCidrs = { Enumerable.Range(0, 33).Select(i => $"10.0.{i}.0/24") } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(
            ["allowed_cidrs[1]", "allowed_cidrs[2]", "allowed_cidrs[3]"],
            error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.StartsWith("allowed_cidrs[1] '10.1.2.3/8' is not a network in CIDR notation", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Contains("at most 32", tooMany.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await Admin.ListApiKeysAsync(new ListApiKeysRequest { Tenant = tenant })).Keys);
    }

    [Fact]
    public async Task A_role_is_kept_as_issued_and_the_old_scope_field_still_means_admin_or_tenant()
    {
        var tenant = await NewTenantAsync();

        var byScope = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Scope = ApiKeyScope.Admin });
        var byDefault = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant });
        var auditor = await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Role = ApiKeyRole.Auditor });
        var contradiction = await Assert.ThrowsAsync<RpcException>(() => Admin.CreateApiKeyAsync(
            new CreateApiKeyRequest { Tenant = tenant, Scope = ApiKeyScope.Admin, Role = ApiKeyRole.Tenant }).ResponseAsync);
        var listed = await Admin.ListApiKeysAsync(new ListApiKeysRequest { Tenant = tenant });

        Assert.Equal((ApiKeyRole.Admin, ApiKeyScope.Admin), (byScope.Key.Role, byScope.Key.Scope));
        Assert.Equal((ApiKeyRole.Tenant, ApiKeyScope.Tenant), (byDefault.Key.Role, byDefault.Key.Scope));
        Assert.Equal((ApiKeyRole.Auditor, ApiKeyScope.Unspecified), (auditor.Key.Role, auditor.Key.Scope));
        Assert.Equal(StatusCode.InvalidArgument, contradiction.StatusCode);
        Assert.StartsWith("scope scope Admin contradicts role Tenant", contradiction.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(3, listed.Keys.Count);
        Assert.Equal(ApiKeyRole.Auditor, listed.Keys.Single(k => k.KeyId == auditor.Key.KeyId).Role);
    }
}

/// <summary>A Pool listening on every address, IPv6 and IPv4, to check allowlists against an IPv6 peer (::1).</summary>
public sealed class DualStackFixture() : HostFixture("ipv6")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Pool:Api:ListenAddress"] = "::",
        ["Pool:Api:AllowInsecure"] = "true",
    };

    /// <summary>Calls over IPv6 loopback with <paramref name="apiKey"/>.</summary>
    public CallInvoker OverIpv6(string apiKey, out GrpcChannel channel)
    {
        var port = new Uri(Pool.GrpcAddress).Port;
        channel = GrpcChannel.ForAddress($"http://[::1]:{port}");
        return Authorized.With(channel, apiKey);
    }
}

/// <summary>Allowlists against an IPv6 peer.</summary>
public sealed class KeyAllowlistIpv6Tests(DualStackFixture fixture) : IClassFixture<DualStackFixture>
{
    private async Task<CreateApiKeyResponse> IssueAsync(params string[] cidrs)
    {
        var tenants = new Tenants.TenantsClient(fixture.Admin);
        var tenant = $"v6-{Guid.NewGuid():n}"[..14];
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        return await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, AllowedCidrs = { cidrs } });
    }

    private static async Task<RpcException?> ListLeasesErrorAsync(CallInvoker invoker)
    {
        try
        {
            await new Leases.LeasesClient(invoker).ListLeasesAsync(new ListLeasesRequest());
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }

    [Fact]
    public async Task A_key_allowing_ipv6_loopback_works_over_ipv6_and_is_denied_over_ipv4()
    {
        var issued = await IssueAsync("::1/128");

        var overIpv6 = await ListLeasesErrorAsync(fixture.OverIpv6(issued.Secret, out var channel));
        var overIpv4 = await ListLeasesErrorAsync(fixture.As(issued.Secret));
        channel.Dispose();

        Assert.Equal(["::1/128"], issued.Key.AllowedCidrs);
        Assert.Null(overIpv6);
        Assert.Equal(StatusCode.PermissionDenied, overIpv4?.StatusCode);
        Assert.Equal($"address 127.0.0.1 is not in the allowlist of key {issued.Key.KeyId}", overIpv4!.Status.Detail);
    }

    [Fact]
    public async Task A_key_allowing_only_ipv4_loopback_is_denied_over_ipv6_naming_the_ipv6_address()
    {
        var issued = await IssueAsync("127.0.0.0/8");

        var overIpv6 = await ListLeasesErrorAsync(fixture.OverIpv6(issued.Secret, out var channel));
        var overIpv4 = await ListLeasesErrorAsync(fixture.As(issued.Secret));
        channel.Dispose();

        Assert.Equal(StatusCode.PermissionDenied, overIpv6?.StatusCode);
        Assert.Equal($"address ::1 is not in the allowlist of key {issued.Key.KeyId}", overIpv6!.Status.Detail);
        Assert.Null(overIpv4);
    }

    [Fact]
    public async Task An_ipv6_network_allows_the_addresses_inside_it()
    {
        var issued = await IssueAsync("::/64");

        Assert.Null(await ListLeasesErrorAsync(fixture.OverIpv6(issued.Secret, out var channel)));
        channel.Dispose();
    }
}
