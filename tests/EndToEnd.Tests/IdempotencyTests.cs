using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pool.Contracts.Idempotency;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>Every mutating call is safe to retry with an idempotency key.</summary>
public sealed class IdempotencyTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private readonly Leases.LeasesClient _leases = new(fixture.Admin);
    private readonly Tenants.TenantsClient _tenants = new(fixture.Admin);

    private static string NewKey() => $"retry-{Guid.NewGuid():n}";

    private async Task<Lease> LeaseAsync()
    {
        var (pool, numbers) = PoolFixture.NewPool(1);
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        return await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
    }

    [Fact]
    public async Task A_retried_extension_extends_once_and_returns_the_first_answer()
    {
        var lease = await LeaseAsync();
        var request = new ExtendLeaseRequest { LeaseId = lease.LeaseId, ExtendBy = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), IdempotencyKey = NewKey() };

        var first = await _leases.ExtendLeaseAsync(request);
        var retry = await _leases.ExtendLeaseAsync(request);
        var current = await _leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId });
        var reused = await Assert.ThrowsAsync<RpcException>(async () =>
            await _leases.ExtendLeaseAsync(new ExtendLeaseRequest(request) { ExtendBy = Duration.FromTimeSpan(TimeSpan.FromMinutes(6)) }));

        Assert.Equal(first, retry);
        Assert.Equal(lease.ExpireTime.ToDateTimeOffset() + TimeSpan.FromMinutes(5), current.ExpireTime.ToDateTimeOffset());
        Assert.Equal(StatusCode.AlreadyExists, reused.StatusCode);
        Assert.Contains("different pool.v1.Leases/ExtendLease request", reused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retried_key_creation_returns_the_same_key_without_its_secret_and_creates_no_second_key()
    {
        var tenant = $"i-{Guid.NewGuid():n}"[..12];
        await _tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        var request = new CreateApiKeyRequest { Tenant = tenant, Label = "ci", IdempotencyKey = NewKey() };

        var first = await _tenants.CreateApiKeyAsync(request);
        var retry = await _tenants.CreateApiKeyAsync(request);
        var keys = await _tenants.ListApiKeysAsync(new ListApiKeysRequest { Tenant = tenant });

        Assert.NotEmpty(first.Secret);
        Assert.Equal(first.Key, retry.Key);
        Assert.Empty(retry.Secret);
        Assert.Single(keys.Keys);
    }

    [Fact]
    public async Task A_call_that_failed_can_be_retried_with_the_same_key_once_the_cause_is_fixed()
    {
        var (pool, numbers) = PoolFixture.NewPool(1);
        var numbersClient = new Numbers.NumbersClient(fixture.Admin);
        var retire = new RetireNumberRequest { Number = numbers[0], Reason = "recalled", IdempotencyKey = NewKey() };

        var failed = await Assert.ThrowsAsync<RpcException>(async () => await numbersClient.RetireNumberAsync(retire));
        await numbersClient.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        var retired = await numbersClient.RetireNumberAsync(retire);
        var again = await numbersClient.RetireNumberAsync(retire);

        Assert.Equal(StatusCode.NotFound, failed.StatusCode);
        Assert.Equal(NumberState.Retired, retired.State);
        Assert.Equal(retired, again);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_call_make_one_change()
    {
        var lease = await LeaseAsync();
        var request = new ExtendLeaseRequest { LeaseId = lease.LeaseId, ExtendBy = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)), IdempotencyKey = NewKey() };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                return (await _leases.ExtendLeaseAsync(request)).ExpireTime.ToDateTimeOffset();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                // "still in progress": the client retries after the delay, which is never longer than the claim holds.
                var delay = ex.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan();
                Assert.InRange(delay, TimeSpan.FromMilliseconds(100), IdempotencyLease.RenewEvery);
                return (DateTimeOffset?)null;
            }
        }));
        var current = await _leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId });

        Assert.Equal(lease.ExpireTime.ToDateTimeOffset() + TimeSpan.FromMinutes(1), current.ExpireTime.ToDateTimeOffset());
        Assert.All(outcomes.OfType<DateTimeOffset>(), expiry => Assert.Equal(current.ExpireTime.ToDateTimeOffset(), expiry));
    }

    [Fact]
    public async Task A_malformed_idempotency_key_is_invalid_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = "bad-key", Name = "x", IdempotencyKey = new string('k', 129) }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("idempotency_key", error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations[0].Field);
    }
}
