using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Pool.Testing;
using Pool.V1;

namespace Pool.Observability.Tests;

/// <summary>
/// One running Pool (silo, gRPC API, dashboard, carrier simulator with its SMPP binds) that has carried
/// some of each kind of traffic an operator watches: leases started and ended, an SMS in over SMPP with
/// its code, a webhook delivered, a verification sent through a route and one refused for want of a
/// route. The dashboard and alert tests look at it afterwards, as Prometheus and a browser would.
/// </summary>
public sealed class ObservedPool : IAsyncLifetime
{
    private const string Country = "HK";
    private const string Route = "sim-a";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private GrpcChannel _channel = null!;
    private TestDatabase _database = null!;
    private WebhookReceiver _receiver = null!;

    public PoolProcess Pool { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Pool = await PoolProcess.StartAsync(_database, $"ob-{Guid.NewGuid():n}"[..16], settings: new Dictionary<string, string?>
        {
            ["Pool:Simulator:Enabled"] = "true",
            ["Pool:Simulator:Routes:sim-a:ReceiptDelay"] = "00:00:00.100",
            ["Pool:Verification:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Pool:Verification:IndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Pool:Webhooks:PollInterval"] = "00:00:00.200",
        });
        _channel = GrpcChannel.ForAddress(Pool.GrpcAddress);
        _receiver = await WebhookReceiver.StartAsync();
        await MakeTrafficAsync();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _receiver.DisposeAsync();
        await Pool.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>The Prometheus text Pool serves at /metrics now.</summary>
    public async Task<string> ScrapeAsync()
    {
        using var http = Pool.CreateHttpClient();
        return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    private async Task MakeTrafficAsync()
    {
        var admin = Authorized.With(_channel, Pool.AdminKey);

        // A tenant with a webhook endpoint, leasing from a pool of its own.
        var tenants = new Tenants.TenantsClient(admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = "watched", Name = "Watched" });
        var key = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "watched", Label = "observability" })).Secret;
        var tenant = Authorized.With(_channel, key);
        await new Webhooks.WebhooksClient(tenant).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = _receiver.Url, Description = "observability" });
        await new Numbers.NumbersClient(admin).AddNumbersAsync(new AddNumbersRequest
        {
            Pool = "observed", Country = Country, Numbers = { "+85251230001", "+85251230002", "+85251230003" },
        });

        // The carrier simulator's SMSC bound by the silo, as the only route of Hong Kong.
        var simulator = new Simulator.SimulatorClient(admin);
        await Eventually.ReturnsAsync(
            async () => (await simulator.ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest())).Routes.Where(r => r.Route == Route).Sum(r => r.BoundSessions),
            bound => bound > 0, s_wait, $"the simulated SMSC {Route} bound by the silo");
        var routes = new Routes.RoutesClient(admin);
        await routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = "hk-sim", Connection = Route, Countries = { Country }, Cost = "0.01", Priority = 1 });
        await routes.SetRouteTableAsync(new SetRouteTableRequest { Country = Country, Primary = { "hk-sim" } });

        // A lease that gets its SMS (over SMPP, pushed on a webhook) and completes; one cancelled.
        var leases = new Leases.LeasesClient(tenant);
        var lease = await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = Country, Pool = "observed", Service = "telegram" });
        // Watched on the lease's stream as well, so the stream's delivery latency is measured.
        using (var watch = new CancellationTokenSource(s_wait))
        using (var stream = leases.WatchMessages(new WatchMessagesRequest { LeaseId = lease.LeaseId }, cancellationToken: watch.Token))
        {
            await simulator.SendSimulatedMessageAsync(new SendSimulatedMessageRequest { Route = Route, From = "Telegram", To = lease.Number, Text = "Telegram code: 48213" });
            Assert.True(await stream.ResponseStream.MoveNext(watch.Token), "the SMS on the lease's stream");

            // The first SMS may have been stored before the server opened the stream (then it is a replay,
            // not measured); the second is surely sent to an open stream.
            await simulator.SendSimulatedMessageAsync(new SendSimulatedMessageRequest { Route = Route, From = "Telegram", To = lease.Number, Text = "Telegram code: 50917" });
            Assert.True(await stream.ResponseStream.MoveNext(watch.Token), "the second SMS on the lease's stream");
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(_receiver.Accepted.Count), accepted => accepted > 0, s_wait, "the SMS delivered on the tenant's webhook");
        await leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Completed });
        var cancelled = await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = Country, Pool = "observed", Service = "whatsapp" });
        await leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = cancelled.LeaseId, Outcome = LeaseOutcome.Cancelled });
        await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = Country, Pool = "observed", Service = "google" });

        // A verification sent through the route, and one to a country no route serves.
        var verification = new Verification.VerificationClient(tenant);
        await verification.StartVerificationAsync(new StartVerificationRequest { To = "+85251239001" });
        try
        {
            await verification.StartVerificationAsync(new StartVerificationRequest { To = "+34612345678" });
        }
        catch (RpcException)
        {
            // Refused for want of a route: that is the traffic pool_routes_unavailable counts.
        }

        // A call the API refuses, so that an error status shows in the API metrics too.
        try
        {
            await leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = "ls_0123456789abcdef0123456789abcdef" });
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ObservedPoolGroup : ICollectionFixture<ObservedPool>
{
    public const string Name = "observed pool";
}
