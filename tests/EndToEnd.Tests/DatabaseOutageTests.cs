using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Pool.Testing;
using Pool.V1;
using Xunit.Abstractions;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// What a client sees while PostgreSQL is down, through the gRPC API of a real silo on a private server:
/// every failed call is UNAVAILABLE with a retry delay (the contract says: retry it), never INTERNAL and
/// never RESOURCE_EXHAUSTED (a pool that could not be read is not an empty pool); once the server is
/// back, calls succeed with no operator action. Run as one process (grain calls stay in the silo) and
/// as an API front end beside a silo (every grain call, and every exception, crosses the wire).
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan s_callDeadline = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("one process")]
    [InlineData("an API front end beside a silo")]
    public async Task While_PostgreSQL_is_down_every_failed_call_is_unavailable_with_a_retry_delay_and_calls_succeed_again_after_it_is_back(string deployment)
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        // Not dropped: it goes with the private server's files, even when the test fails while the server is down.
        var database = await TestDatabase.CreateAsync(postgres.ServerConnectionString);
        SiloProcess? silo = null;
        SplitPool? split = null;
        try
        {
            string address, key;
            if (deployment == "one process")
            {
                silo = await SiloProcess.StartAsync(database, FreePorts.Take(4));
                (address, key) = (silo.GrpcAddress, silo.AdminKey);
            }
            else
            {
                split = await SplitPool.StartAsync(database, database.Name);
                (address, key) = (split.Api.GrpcAddress, split.Api.AdminKey);
            }

            await RunOutageAsync(postgres, address, key);
        }
        finally
        {
            silo?.Dispose();
            if (split is not null)
            {
                await split.DisposeAsync();
            }
        }
    }

    private async Task RunOutageAsync(PrivatePostgres postgres, string address, string adminKey)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var admin = Authorized.With(channel, adminKey);
        var leases = new Leases.LeasesClient(admin);
        var numbers = new Numbers.NumbersClient(admin);
        var (pool, poolNumbers) = PoolFixture.NewPool(40);
        await numbers.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { poolNumbers } });
        var held = new List<Lease>();
        for (var i = 0; i < 6; i++)
        {
            held.Add(await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" }));
        }

        await postgres.StopAsync();
        var outcomes = new List<(string Call, StatusCode Code, bool RetryInfo)>();
        var stoppedAt = DateTimeOffset.UtcNow;
        for (var round = 0; DateTimeOffset.UtcNow - stoppedAt < s_outage || round < 3; round++)
        {
            var lease = held[round % held.Count];
            outcomes.Add(await OutcomeAsync("CreateLease", leases.CreateLeaseAsync(
                new CreateLeaseRequest { Country = "HK", Pool = pool, Service = $"svc-{round}", IdempotencyKey = $"outage-{round}" }, deadline: Deadline()).ResponseAsync));
            outcomes.Add(await OutcomeAsync("CreateLease (no pool named)", leases.CreateLeaseAsync(
                new CreateLeaseRequest { Country = "HK", Service = $"other-{round}" }, deadline: Deadline()).ResponseAsync));
            outcomes.Add(await OutcomeAsync("GetLease", leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId }, deadline: Deadline()).ResponseAsync));
            outcomes.Add(await OutcomeAsync("ReleaseLease", leases.ReleaseLeaseAsync(
                new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Completed }, deadline: Deadline()).ResponseAsync));
            outcomes.Add(await OutcomeAsync("GetNumber", numbers.GetNumberAsync(new GetNumberRequest { Number = poolNumbers[^(1 + (round % 30))] }, deadline: Deadline()).ResponseAsync));
        }

        await postgres.StartAgainAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        var after = await Eventually.ReturnsAsync(
            async () => await OutcomeAsync("CreateLease after the outage", leases.CreateLeaseAsync(
                new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "after-outage", IdempotencyKey = "after-outage" }, deadline: Deadline()).ResponseAsync),
            o => o.Code == StatusCode.OK,
            TimeSpan.FromSeconds(60),
            "a lease to be granted again once PostgreSQL is back, retried with the same idempotency key as the contract says");
        var recovered = DateTimeOffset.UtcNow - restartedAt;
        var lookup = await leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = held[0].LeaseId });

        var failures = outcomes.Where(o => o.Code != StatusCode.OK).ToList();
        output.WriteLine($"calls during the outage: {outcomes.Count}; by answer: {string.Join(", ", outcomes.GroupBy(o => $"{o.Call} {o.Code}").Select(g => $"{g.Key} × {g.Count()}"))}");
        output.WriteLine($"a lease was granted again {recovered.TotalSeconds:0.0} s after PostgreSQL started");
        Assert.True(failures.Count > 0, "some calls failed while PostgreSQL was down (the fault happened)");
        Assert.True(
            failures.All(f => f.Code == StatusCode.Unavailable),
            $"every call that failed while PostgreSQL was down was UNAVAILABLE, none INTERNAL or RESOURCE_EXHAUSTED: {string.Join(", ", failures.Where(f => f.Code != StatusCode.Unavailable).Select(f => $"{f.Call} {f.Code}"))}");
        Assert.True(failures.All(f => f.RetryInfo), "every UNAVAILABLE answer carried a google.rpc.RetryInfo");
        Assert.Equal(StatusCode.OK, after.Code);
        Assert.Equal(held[0].LeaseId, lookup.LeaseId);
    }

    private static DateTime Deadline() => DateTime.UtcNow + s_callDeadline;

    private static async Task<(string Call, StatusCode Code, bool RetryInfo)> OutcomeAsync<T>(string call, Task<T> response)
    {
        try
        {
            await response;
            return (call, StatusCode.OK, false);
        }
        catch (RpcException ex)
        {
            return (call, ex.StatusCode, ex.GetRpcStatus()?.GetDetail<RetryInfo>() is not null);
        }
    }
}
