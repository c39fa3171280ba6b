using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>No phone number or API key ever reaches a log line in full, on success or failure paths.</summary>
public sealed class LogPrivacyTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    [Fact]
    public async Task A_broad_run_of_calls_leaves_no_full_number_or_key_in_the_logs()
    {
        var (pool, numbers) = PoolFixture.NewPool(4);
        var numbersClient = new Numbers.NumbersClient(fixture.Admin);
        var tenants = new Tenants.TenantsClient(fixture.Admin);
        var tenant = $"p-{Guid.NewGuid():n}"[..12];
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = "Privacy Ltd" });
        var key = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant })).Secret;
        var leases = new Leases.LeasesClient(fixture.As(key));

        await Ignore(numbersClient.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers[0], "+8521" } }).ResponseAsync);
        await numbersClient.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        var lease = await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        await leases.ExtendLeaseAsync(new ExtendLeaseRequest { LeaseId = lease.LeaseId, ExtendBy = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) });
        await Ignore(numbersClient.RetireNumberAsync(new RetireNumberRequest { Number = lease.Number, Reason = "while leased" }).ResponseAsync);
        await leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.BadNumber });
        var other = numbers.First(n => n != lease.Number);
        await numbersClient.WatchlistNumberAsync(new WatchlistNumberRequest { Number = other, Reason = "privacy test" });
        await numbersClient.ReinstateNumberAsync(new ReinstateNumberRequest { Number = other });
        await numbersClient.RetireNumberAsync(new RetireNumberRequest { Number = other, Reason = "privacy test" });
        await Ignore(numbersClient.GetNumberAsync(new GetNumberRequest { Number = "+85269999999" }).ResponseAsync);
        await Ignore(new Leases.LeasesClient(fixture.As(key[..^2] + "zz")).ListLeasesAsync(new ListLeasesRequest()).ResponseAsync);

        var raw = fixture.Pool.Logs.Lines.ToList();
        var printed = fixture.Pool.Logs.Printed.ToList();
        string[] secrets = [.. numbers.Select(n => n[1..]), "85269999999", key[18..], fixture.AdminKey[18..]];

        Assert.Contains(raw, line => line.Contains(lease.LeaseId, StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(raw, line => line.Contains("Pool.", StringComparison.Ordinal) && line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(printed, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static async Task Ignore(Task call)
    {
        try
        {
            await call;
        }
        catch (RpcException)
        {
            // The failure path is the point: its logs are checked too.
        }
    }
}
