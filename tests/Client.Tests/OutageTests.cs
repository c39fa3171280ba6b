using Grpc.Core;
using Pool.Testing;
using Pool.V1;

namespace Pool.Client.Tests;

/// <summary>
/// Retries against a real Pool whose PostgreSQL (a private server of the test's own) is stopped and started again: Pool answers
/// UNAVAILABLE while the database is down, and a call made then succeeds once it is back, with one lease for its one idempotency key.
/// </summary>
public sealed class OutageTests
{
    [Fact]
    public async Task A_call_made_while_PostgreSQL_is_down_succeeds_once_it_is_back_and_without_retries_it_fails_with_UNAVAILABLE()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        // Not dropped: it goes with the private server's files.
        var database = await TestDatabase.CreateAsync(postgres.ServerConnectionString);
        using var silo = await SiloProcess.StartAsync(database, FreePorts.Take(4));
        var address = new Uri(silo.GrpcAddress);
        using var admin = new PoolClient(silo.GrpcAddress, silo.AdminKey);
        await admin.Numbers.AddNumbersAsync(new AddNumbersRequest { Pool = "outage", Country = "HK", Numbers = { "+85251770001", "+85251770002" } });
        await admin.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = "outage", Service = "before" });
        using var counting = new CountingHandler();
        using var retrying = new PoolClient(new PoolClientOptions
        {
            Address = address,
            ApiKey = silo.AdminKey,
            HttpHandler = counting,
            // Pool's RetryInfo asks for 1 s between attempts: up to about 20 s for the database to come back and Pool to reconnect.
            Retry = { MaxAttempts = 20, MaxBackoff = TimeSpan.FromSeconds(5) },
        });
        using var once = new PoolClient(new PoolClientOptions { Address = address, ApiKey = silo.AdminKey, Retry = { Enabled = false } });

        await postgres.StopAsync();
        var duringOutage = retrying.Leases.CreateLeaseAsync(
            new CreateLeaseRequest { Country = "HK", Pool = "outage", Service = "during" }, deadline: DateTime.UtcNow.AddSeconds(90)).ResponseAsync;
        var unretried = await Assert.ThrowsAsync<RpcException>(async () =>
            await once.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = "outage", Service = "unretried" }, deadline: DateTime.UtcNow.AddSeconds(30)));
        await Eventually.ReturnsAsync(() => Task.FromResult(counting.Attempts), n => n >= 3, TimeSpan.FromSeconds(30), "the call to be retried twice while PostgreSQL is down");
        Assert.False(duringOutage.IsCompleted, $"the call made during the outage is still being retried ({duringOutage.Status})");
        await postgres.StartAgainAsync();
        var lease = await duringOutage;
        // Listings read the leases table, which follows the lease grains within moments.
        var leases = await Eventually.ReturnsAsync(
            async () => await admin.Leases.ListLeasesAsync(new ListLeasesRequest()),
            reply => reply.Leases.Any(l => l.Service == "during"),
            TimeSpan.FromSeconds(20),
            "the lease made during the outage in ListLeases");

        Assert.Equal(StatusCode.Unavailable, unretried.StatusCode);
        Assert.Equal("during", lease.Service);
        Assert.True(counting.Attempts >= 3, $"the call took several attempts ({counting.Attempts})");
        Assert.Single(leases.Leases, l => l.Service == "during"); // every attempt carried one idempotency key: one lease
        Assert.DoesNotContain(leases.Leases, l => l.Service == "unretried");
    }
}
