using Grpc.Core;
using Grpc.Net.Client;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>The silo process killed (SIGKILL) between accepting an SMS and delivering it: nothing accepted is lost.</summary>
public sealed class DeliveryRecoveryTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> Settings => DeliveryFixture.CarrierAndFastRetries.ToDictionary(s => s.Key, s => s.Value!);

    private sealed record Tenant(string Key, string LeaseId, string Number, string Secret);

    /// <summary>A tenant with a key, a leased number and a webhook endpoint at <paramref name="receiver"/>.</summary>
    private static async Task<Tenant> SetUpAsync(SiloProcess silo, WebhookReceiver receiver)
    {
        using var grpc = GrpcChannel.ForAddress(silo.GrpcAddress);
        var admin = Authorized.With(grpc, silo.AdminKey);
        await new Tenants.TenantsClient(admin).CreateTenantAsync(new CreateTenantRequest { Tenant = "crash", Name = "Crash Ltd" });
        var key = (await new Tenants.TenantsClient(admin).CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "crash" })).Secret;
        await new Numbers.NumbersClient(admin).AddNumbersAsync(new AddNumbersRequest { Pool = "crash", Country = "HK", Numbers = { "+85261990001" } });
        var tenant = Authorized.With(grpc, key);
        var lease = await new Leases.LeasesClient(tenant).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = "crash", Service = "telegram" });
        var endpoint = await new Webhooks.WebhooksClient(tenant).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = receiver.Url });
        return new Tenant(key, lease.LeaseId, lease.Number, endpoint.Secret);
    }

    private static async Task<List<Message>> StreamAsync(SiloProcess silo, string key, int count)
    {
        using var grpc = GrpcChannel.ForAddress(silo.GrpcAddress);
        using var timeout = new CancellationTokenSource(s_wait);
        using var call = new Leases.LeasesClient(Authorized.With(grpc, key)).WatchAllMessages(new WatchAllMessagesRequest(), cancellationToken: timeout.Token);
        var messages = new List<Message>();
        while (messages.Count < count && await call.ResponseStream.MoveNext(timeout.Token))
        {
            messages.Add(call.ResponseStream.Current);
        }

        return messages;
    }

    [Fact]
    public async Task A_webhook_still_pending_when_the_silo_is_killed_is_delivered_after_the_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerWith(503); // The tenant's receiver is down: the delivery waits in the outbox.
        var ports = FreePorts.Take(4);
        Tenant tenant;

        using (var first = await SiloProcess.StartAsync(database, ports, Settings))
        {
            tenant = await SetUpAsync(first, receiver);
            using var output = new StringWriter();
            using var error = new StringWriter();
            var sent = await Cli.PoolCtl.RunAsync(
                ["--api", first.GrpcAddress, "--api-key", tenant.Key, "inbound", "send", "--carrier", DeliveryFixture.Carrier, "--to", tenant.Number, "--text", "Your Telegram code is 55123"],
                output, error, input: TextReader.Null,
                environment: name => name switch { "POOL_HTTP" => $"http://127.0.0.1:{ports[3]}", "POOL_CARRIER_SECRET" => DeliveryFixture.CarrierSecret, _ => null });
            Assert.True(sent == 0, error.ToString());
            await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Received.Count), n => n >= 1, s_wait, "a first, refused attempt");
            first.Kill();
        }

        receiver.AnswerWith(200);
        using var second = await SiloProcess.StartAsync(database, ports, Settings);
        var delivered = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 1, s_wait, "the delivery after the restart");
        var streamed = Assert.Single(await StreamAsync(second, tenant.Key, 1));

        Assert.Equal("55123", streamed.Code);
        Assert.Equal(streamed.MessageId, Assert.Single(delivered).Id);
        Assert.True(delivered[0].SignedWith(tenant.Secret), "the delivery after the restart is signed");
        Assert.All(receiver.Received, r => Assert.Equal(streamed.MessageId, r.Id));
    }

    [Fact]
    public async Task A_message_stored_but_never_routed_before_the_silo_died_is_routed_and_delivered_when_it_starts_again()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var ports = FreePorts.Take(4);
        Tenant tenant;
        using (var first = await SiloProcess.StartAsync(database, ports, Settings))
        {
            tenant = await SetUpAsync(first, receiver);
            first.Kill();
        }

        // What a silo killed right after storing an accepted message leaves behind: the row, unrouted.
        await database.ExecuteAsync($"""
            INSERT INTO messages (message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, stored_at, code, service)
            VALUES ('msg_0123456789abcdef0123456789abcdef', 'sim', 'crash-1', 'Telegram', '{tenant.Number}', 'Telegram code 77881', now() - interval '1 minute', now() - interval '1 minute', '77881', 'Telegram')
            """);
        using var second = await SiloProcess.StartAsync(database, ports, Settings);
        var delivered = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 1, s_wait, "the recovered message's webhook");
        var streamed = Assert.Single(await StreamAsync(second, tenant.Key, 1));
        var routed = await database.ScalarAsync<bool>("SELECT routed FROM messages WHERE message_id = 'msg_0123456789abcdef0123456789abcdef'");

        Assert.Equal("msg_0123456789abcdef0123456789abcdef", Assert.Single(delivered).Id);
        Assert.Equal("77881", streamed.Code);
        Assert.Equal(tenant.LeaseId, streamed.LeaseId);
        Assert.True(routed);
    }

    [Fact]
    public async Task A_message_stored_attached_to_its_lease_but_not_routed_before_the_silo_died_reaches_that_lease_and_its_tenant_when_it_starts_again()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var ports = FreePorts.Take(4);
        Tenant tenant;
        using (var first = await SiloProcess.StartAsync(database, ports, Settings))
        {
            tenant = await SetUpAsync(first, receiver);
            first.Kill();
        }

        // What a silo killed right after storing a message its number had routed leaves behind: the row attached to the lease, the lease not told.
        await database.ExecuteAsync($"""
            INSERT INTO messages (message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, stored_at, lease_id, code, service)
            VALUES ('msg_fedcba9876543210fedcba9876543210', 'sim', 'crash-2', 'Telegram', '{tenant.Number}', 'Telegram code 66442', now() - interval '1 minute',
                    now() - interval '1 minute', '{tenant.LeaseId}', '66442', 'Telegram')
            """);
        using var second = await SiloProcess.StartAsync(database, ports, Settings);
        var delivered = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Accepted), a => a.Count >= 1, s_wait, "the recovered message's webhook");
        var streamed = Assert.Single(await StreamAsync(second, tenant.Key, 1));
        using var grpc = GrpcChannel.ForAddress(second.GrpcAddress);
        var lease = await new Leases.LeasesClient(Authorized.With(grpc, tenant.Key)).GetLeaseAsync(new GetLeaseRequest { LeaseId = tenant.LeaseId });

        Assert.Equal("msg_fedcba9876543210fedcba9876543210", Assert.Single(delivered).Id);
        Assert.Equal(("66442", tenant.LeaseId, 1L), (streamed.Code, streamed.LeaseId, streamed.Cursor));
        Assert.Equal(SessionState.CodeReceived, lease.SessionState);
        Assert.True(await database.ScalarAsync<bool>("SELECT routed FROM messages WHERE message_id = 'msg_fedcba9876543210fedcba9876543210'"));
    }
}
