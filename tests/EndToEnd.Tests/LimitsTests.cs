using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>Per-tenant limits: request rate, concurrent leases, and the anti-scan rule.</summary>
public sealed class LimitsTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private Tenants.TenantsClient Admin => new(fixture.Admin);

    /// <summary>A new tenant with <paramref name="limits"/>, and a client acting with its key.</summary>
    private async Task<Leases.LeasesClient> TenantAsync(V1.TenantLimits limits)
    {
        var tenant = $"l-{Guid.NewGuid():n}"[..12];
        await Admin.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        await Admin.UpdateTenantLimitsAsync(new UpdateTenantLimitsRequest { Tenant = tenant, Limits = limits });
        var key = (await Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant })).Secret;
        return new Leases.LeasesClient(fixture.As(key));
    }

    private async Task<string> PoolAsync(int size)
    {
        var (pool, numbers) = PoolFixture.NewPool(size);
        await new Pools.PoolsClient(fixture.Admin).CreatePoolAsync(new CreatePoolRequest
        {
            Pool = pool,
            Country = "HK",
            Policy = new V1.PoolPolicy { Cooldown = Duration.FromTimeSpan(TimeSpan.Zero), SilentLeaseLimit = 1000 },
        });
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        return pool;
    }

    [Fact]
    public async Task A_tenant_over_its_request_rate_is_resource_exhausted_with_a_retry_delay()
    {
        var client = await TenantAsync(new V1.TenantLimits { RequestsPerSecond = 2 });

        var answers = new List<StatusCode>();
        RpcException? refused = null;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await client.ListLeasesAsync(new ListLeasesRequest());
                answers.Add(StatusCode.OK);
            }
            catch (RpcException ex)
            {
                answers.Add(ex.StatusCode);
                refused ??= ex;
            }
        }

        Assert.Contains(StatusCode.OK, answers);
        Assert.Contains(StatusCode.ResourceExhausted, answers);
        Assert.Contains("rate limit of 2 requests per second", refused!.Status.Detail, StringComparison.Ordinal);
        Assert.NotNull(refused.GetRpcStatus()!.GetDetail<RetryInfo>());
    }

    [Fact]
    public async Task A_tenant_at_its_lease_quota_is_refused_until_it_releases_one()
    {
        var client = await TenantAsync(new V1.TenantLimits { MaxActiveLeases = 2 });
        var pool = await PoolAsync(5);

        var first = await client.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "a" });
        await client.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "b" });
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "c" }));
        await client.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = first.LeaseId });
        var afterRelease = await client.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "c" });

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("already holds 2 active leases", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(LeaseState.Active, afterRelease.State);
    }

    [Fact]
    public async Task A_tenant_whose_recent_leases_received_no_SMS_is_throttled_by_the_anti_scan_rule()
    {
        var client = await TenantAsync(new V1.TenantLimits { ScanWindow = 4, ScanMinLeases = 4, ScanSilentPercent = 75, ScanCooloff = Duration.FromTimeSpan(TimeSpan.FromHours(1)) });
        var pool = await PoolAsync(8);
        for (var i = 0; i < 4; i++)
        {
            var lease = await client.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = $"probe{i}" });
            await client.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Cancelled });
        }

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "next" }));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("anti-scan", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_out_of_range_are_invalid_naming_each_field()
    {
        var tenant = $"v-{Guid.NewGuid():n}"[..12];
        await Admin.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Admin.UpdateTenantLimitsAsync(new UpdateTenantLimitsRequest
        {
            Tenant = tenant,
            Limits = new V1.TenantLimits { RequestsPerSecond = 0, ScanWindow = 5, ScanMinLeases = 6 },
        }));
        var unchanged = await Admin.GetTenantAsync(new GetTenantRequest { Tenant = tenant });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["limits.requests_per_second", "limits.scan_min_leases"], error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(50, unchanged.Limits.RequestsPerSecond);
    }

    [Fact]
    public async Task An_oversized_request_is_refused_by_the_servers_message_limit()
    {
        var huge = new AddNumbersRequest { Pool = "huge", Country = "HK" };
        huge.Numbers.Add(Enumerable.Range(0, 60_000).Select(i => $"+85251{i:D6}-padding-padding"));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(huge));

        Assert.True(huge.CalculateSize() > 1024 * 1024, "the request should exceed the 1 MiB limit");
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }
}
