using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Core;
using Pool.Carriers.Http;
using Pool.Cli;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// A Pool with one HTTP carrier ("sim") and webhook retries a second apart, so that retries can be
/// watched in a test. Each test works as a tenant of its own (its own leases, stream and endpoints).
/// </summary>
public sealed class DeliveryFixture() : HostFixture("dl")
{
    public const string Carrier = "sim";
    public const string CarrierSecret = "delivery-carrier-secret-0123456789";

    private int _pools;

    /// <summary>The carrier and fast webhook retries (1 s, 1 s, 1 s, then given up).</summary>
    public static IReadOnlyDictionary<string, string?> CarrierAndFastRetries { get; } = new Dictionary<string, string?>
    {
        [$"Pool:Carriers:{Carrier}:Secret"] = CarrierSecret,
        ["Pool:Webhooks:RetrySchedule:0"] = "00:00:01",
        ["Pool:Webhooks:RetrySchedule:1"] = "00:00:01",
        ["Pool:Webhooks:RetrySchedule:2"] = "00:00:01",
        ["Pool:Webhooks:PollInterval"] = "00:00:00.200",
    };

    protected override IReadOnlyDictionary<string, string?> Settings => CarrierAndFastRetries;

    /// <summary>A new tenant with a key and one leased number; the client acts as that tenant.</summary>
    public async Task<(CallInvoker Tenant, string Key, Lease Lease)> TenantWithLeaseAsync()
    {
        var (client, key) = await NewTenantAsync("dl-t");
        var n = Interlocked.Increment(ref _pools);
        var pool = $"dl-p{n}";
        await new Numbers.NumbersClient(Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { $"+8526{n + 100:D3}0001" } });
        var lease = await new Leases.LeasesClient(client).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        return (client, key, lease);
    }

    /// <summary>Runs poolctl as <paramref name="key"/>, with the carrier secret and HTTP address in its environment.</summary>
    public Task<PoolCtlRun> PoolCtlAsync(string key, params string[] args) =>
        PoolCtlRunner.RunOnAsync(Pool, key, args, new Dictionary<string, string?> { ["POOL_HTTP"] = Pool.HttpAddress, ["POOL_CARRIER_SECRET"] = CarrierSecret });
}

/// <summary>Inbound SMS delivered to tenants: the per-tenant stream and signed webhooks, exactly once per message.</summary>
public sealed class DeliveryTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private static async Task<List<Message>> ReadStreamAsync(CallInvoker tenant, long afterCursor, int count)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        using var call = new Leases.LeasesClient(tenant).WatchAllMessages(new WatchAllMessagesRequest { AfterCursor = afterCursor }, cancellationToken: timeout.Token);
        var messages = new List<Message>();
        while (messages.Count < count && await call.ResponseStream.MoveNext(timeout.Token))
        {
            messages.Add(call.ResponseStream.Current);
        }

        return messages;
    }

    /// <summary>Everything a tenant's stream yields within <paramref name="duration"/>.</summary>
    private static async Task<List<Message>> ReadStreamForAsync(CallInvoker tenant, TimeSpan duration)
    {
        using var timeout = new CancellationTokenSource(duration);
        using var call = new Leases.LeasesClient(tenant).WatchAllMessages(new WatchAllMessagesRequest(), cancellationToken: timeout.Token);
        var messages = new List<Message>();
        try
        {
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
                messages.Add(call.ResponseStream.Current);
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
        }

        return messages;
    }

    private static async Task<(string Id, string Secret)> AddEndpointAsync(CallInvoker tenant, WebhookReceiver receiver)
    {
        var created = await new Webhooks.WebhooksClient(tenant).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = receiver.Url, Description = "tests" });
        return (created.Endpoint.EndpointId, created.Secret);
    }

    private Task<PoolCtlRun> SendAsync(string key, string to, string text, params string[] more) =>
        fixture.PoolCtlAsync(key, ["inbound", "send", "--carrier", DeliveryFixture.Carrier, "--to", to, "--from", "Telegram", "--text", text, .. more]);

    private static Task<IReadOnlyList<ReceivedWebhook>> AcceptedAsync(WebhookReceiver receiver, int count, string expected) =>
        Eventually.ReturnsAsync(() => Task.FromResult(receiver.Accepted), accepted => accepted.Count >= count, s_wait, expected);

    [Fact]
    public async Task Plain_Chinese_concatenated_and_duplicated_SMS_each_reach_the_stream_and_a_signed_webhook_exactly_once()
    {
        var (tenant, key, lease) = await fixture.TenantWithLeaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, secret) = await AddEndpointAsync(tenant, receiver);

        var plain = await SendAsync(key, lease.Number, "Telegram code: 48213. Do not give this code to anyone.", "--message-id", "plain-1");
        var plainAgain = await SendAsync(key, lease.Number, "Telegram code: 48213. Do not give this code to anyone.", "--message-id", "plain-1");
        var chinese = await SendAsync(key, lease.Number, "【QQ阅读】您的验证码868303,该验证码5分钟内有效", "--encoding", "ucs2");
        var concatenated = await SendAsync(key, lease.Number, "Your WhatsApp code is 314-159. You can also tap this link to verify your phone: v.whatsapp.com/314159 Don't share this code with others.", "--parts", "3", "--message-id", "long-1");
        // The carrier sends the three parts again: every one is a duplicate now.
        var concatenatedAgain = await SendAsync(key, lease.Number, "Your WhatsApp code is 314-159. You can also tap this link to verify your phone: v.whatsapp.com/314159 Don't share this code with others.", "--parts", "3", "--message-id", "long-1");

        var streamed = await ReadStreamAsync(tenant, 0, 3);
        var webhooks = await AcceptedAsync(receiver, 3, "three webhooks, one per message");
        await Task.Delay(TimeSpan.FromSeconds(1)); // Room for a wrongful fourth delivery to show up.

        Assert.True(plain.Exit == 0, plain.ToString());
        Assert.Contains("duplicate", plainAgain.Out, StringComparison.Ordinal);
        Assert.True(chinese.Exit == 0 && concatenated.Exit == 0 && concatenatedAgain.Exit == 0, $"{chinese} {concatenated} {concatenatedAgain}");
        Assert.Contains("part 3/3: delivered", concatenated.Out, StringComparison.Ordinal);
        Assert.Equal(3, concatenatedAgain.Out.Split("duplicate").Length - 1);
        Assert.Equal(["48213", "868303", "314159"], streamed.Select(m => m.Code));
        Assert.Equal([1L, 2L, 3L], streamed.Select(m => m.Cursor));
        Assert.All(streamed, m => Assert.Equal(lease.LeaseId, m.LeaseId));
        Assert.StartsWith("Your WhatsApp code is 314-159. You can also", streamed[2].Text, StringComparison.Ordinal);
        Assert.False(streamed[2].Incomplete);
        Assert.Equal(3, receiver.Accepted.Count);
        Assert.Equal(streamed.Select(m => m.MessageId).Order(), receiver.Accepted.Select(w => w.Id).Order());
        Assert.All(webhooks, w => Assert.True(w.SignedWith(secret), $"webhook {w.Id} carries a valid Standard Webhooks signature"));
        var codes = webhooks.Select(w => JsonDocument.Parse(w.Body).RootElement.GetProperty("data").GetProperty("code").GetString()).Order();
        Assert.Equal(["314159", "48213", "868303"], codes);

        var released = await new Leases.LeasesClient(tenant).ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Completed });
        Assert.Equal(LeaseOutcome.Completed, released.Outcome);
    }

    [Fact]
    public async Task A_burst_of_SMS_posted_at_once_to_one_tenant_reaches_its_stream_with_consecutive_cursors_and_its_webhook_once_each()
    {
        var (tenant, _, lease) = await fixture.TenantWithLeaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await AddEndpointAsync(tenant, receiver);
        var codes = Enumerable.Range(0, 40).Select(i => (500000 + i).ToString(CultureInfo.InvariantCulture)).ToList();
        var reading = ReadStreamAsync(tenant, 0, codes.Count);

        var answers = await Task.WhenAll(codes.Select(code => PostAsync(new Dictionary<string, string>
        {
            ["message_id"] = $"burst-{lease.LeaseId}-{code}",
            ["from"] = "Telegram",
            ["to"] = lease.Number,
            ["text"] = $"Your Telegram code is {code}",
        })));
        var streamed = await reading;
        var webhooks = await AcceptedAsync(receiver, codes.Count, "one webhook per message of the burst");
        await Task.Delay(TimeSpan.FromSeconds(1)); // Room for a wrongful extra delivery to show up.

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Accepted, "delivered"), a));
        Assert.Equal(Enumerable.Range(1, codes.Count).Select(i => (long)i), streamed.Select(m => m.Cursor));
        Assert.Equal(codes, streamed.Select(m => m.Code).Order(StringComparer.Ordinal));
        Assert.Equal(codes.Count, receiver.Received.Count);
        Assert.Equal(streamed.Select(m => m.MessageId).Order(StringComparer.Ordinal), webhooks.Select(w => w.Id).Order(StringComparer.Ordinal));
    }

    /// <summary>Posts one SMS to the carrier endpoint as the carrier does (signed); returns the HTTP status and the outcome Pool answered.</summary>
    private async Task<(HttpStatusCode Status, string? Outcome)> PostAsync(Dictionary<string, string> sms)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(sms);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var http = fixture.Pool.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/carriers/{DeliveryFixture.Carrier}/messages", UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(CarrierSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(CarrierSignature.SignatureHeader, CarrierSignature.Sign(DeliveryFixture.CarrierSecret, timestamp, bytes));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return (response.StatusCode, body);
        }

        using var answer = JsonDocument.Parse(body);
        return (response.StatusCode, answer.RootElement.TryGetProperty("outcome", out var value) ? value.GetString() : null);
    }

    [Fact]
    public async Task A_reconnecting_stream_resumes_after_its_cursor_and_misses_nothing()
    {
        var (tenant, key, lease) = await fixture.TenantWithLeaseAsync();
        await SendAsync(key, lease.Number, "Your code is 111111");
        var first = Assert.Single(await ReadStreamAsync(tenant, 0, 1));

        await SendAsync(key, lease.Number, "Your code is 222222");
        await SendAsync(key, lease.Number, "Your code is 333333");
        var resumed = await ReadStreamAsync(tenant, first.Cursor, 2);

        Assert.Equal("111111", first.Code);
        Assert.Equal(["222222", "333333"], resumed.Select(m => m.Code));
    }

    [Fact]
    public async Task A_tenant_stream_and_webhooks_never_see_another_tenants_messages()
    {
        var (mine, myKey, myLease) = await fixture.TenantWithLeaseAsync();
        var (theirs, theirKey, _) = await fixture.TenantWithLeaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await AddEndpointAsync(theirs, receiver);

        await SendAsync(myKey, myLease.Number, "Your code is 424242");
        var mineStreamed = await ReadStreamAsync(mine, 0, 1);
        var theirsStreamed = await ReadStreamForAsync(theirs, TimeSpan.FromSeconds(3));

        Assert.Equal("424242", Assert.Single(mineStreamed).Code);
        Assert.Empty(theirsStreamed);
        Assert.Empty(receiver.Received);
        Assert.NotEqual(myKey, theirKey);
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_with_the_same_webhook_id_until_it_answers_2xx()
    {
        var (tenant, key, lease) = await fixture.TenantWithLeaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerWith(n => n <= 2 ? 500 : 204);
        var (endpointId, _) = await AddEndpointAsync(tenant, receiver);

        await SendAsync(key, lease.Number, "Your code is 271828");
        var accepted = Assert.Single(await AcceptedAsync(receiver, 1, "the third attempt to succeed"));
        var deliveries = await Eventually.ReturnsAsync(
            async () => (await new Webhooks.WebhooksClient(tenant).ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { EndpointId = endpointId })).Deliveries,
            d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Delivered, s_wait, "the delivery recorded as delivered");

        Assert.Equal(3, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
        Assert.Equal(accepted.Id, deliveries[0].EventId);
        Assert.Equal(3, deliveries[0].Attempts);
        Assert.Equal(204, deliveries[0].LastStatusCode);
    }

    [Fact]
    public async Task An_endpoint_answering_410_is_disabled_and_a_replay_after_enabling_it_delivers_with_the_same_id()
    {
        var (tenant, key, lease) = await fixture.TenantWithLeaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerWith(410);
        var (endpointId, _) = await AddEndpointAsync(tenant, receiver);
        var webhooks = new Webhooks.WebhooksClient(tenant);

        await SendAsync(key, lease.Number, "Your code is 161803");
        var disabled = await Eventually.ReturnsAsync(
            async () => (await webhooks.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest())).Endpoints.Single(),
            e => !e.Enabled, s_wait, "the endpoint disabled after its 410");
        await SendAsync(key, lease.Number, "Your code is 999111");
        var failed = (await webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { Status = WebhookDeliveryStatus.Failed })).Deliveries;

        receiver.AnswerWith(200);
        await webhooks.EnableWebhookEndpointAsync(new EnableWebhookEndpointRequest { EndpointId = endpointId });
        var replayed = await webhooks.ReplayWebhookDeliveryAsync(new ReplayWebhookDeliveryRequest { DeliveryId = Assert.Single(failed).DeliveryId });
        var accepted = Assert.Single(await AcceptedAsync(receiver, 1, "the replayed delivery"));

        Assert.Contains("410", disabled.DisabledReason, StringComparison.Ordinal);
        Assert.Equal(WebhookDeliveryStatus.Pending, replayed.Status);
        Assert.Equal(replayed.EventId, accepted.Id);
        Assert.Equal(2, receiver.Received.Count); // The 410, then the replay: nothing was queued for the disabled endpoint.
        Assert.Equal(receiver.Received[0].Id, accepted.Id);
    }

    [Fact]
    public async Task Webhook_management_refuses_bad_input_and_other_tenants_endpoints()
    {
        var (tenant, _, _) = await fixture.TenantWithLeaseAsync();
        var (other, _, _) = await fixture.TenantWithLeaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpointId, _) = await AddEndpointAsync(other, receiver);
        var webhooks = new Webhooks.WebhooksClient(tenant);

        var plainHttp = await Assert.ThrowsAsync<RpcException>(() => webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = "http://hooks.example.com/in" }).ResponseAsync);
        var ftp = await Assert.ThrowsAsync<RpcException>(() => webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = "ftp://hooks.example.com/in" }).ResponseAsync);
        var relative = await Assert.ThrowsAsync<RpcException>(() => webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = "/in" }).ResponseAsync);
        var badId = await Assert.ThrowsAsync<RpcException>(() => webhooks.TestWebhookEndpointAsync(new TestWebhookEndpointRequest { EndpointId = "nope" }).ResponseAsync);
        var theirs = await Assert.ThrowsAsync<RpcException>(() => webhooks.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { EndpointId = endpointId }).ResponseAsync);
        var unknownDelivery = await Assert.ThrowsAsync<RpcException>(() => webhooks.ReplayWebhookDeliveryAsync(new ReplayWebhookDeliveryRequest { DeliveryId = "dlv_0123456789abcdef01234567" }).ResponseAsync);
        var badCursor = await Assert.ThrowsAsync<RpcException>(() => ReadStreamAsync(tenant, -1, 1));
        for (var i = 0; i < 10; i++)
        {
            await webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = $"https://hooks.example.com/{i}" });
        }

        var tooMany = await Assert.ThrowsAsync<RpcException>(() => webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = "https://hooks.example.com/11" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, plainHttp.StatusCode);
        Assert.Contains("https", plainHttp.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, ftp.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, relative.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badId.StatusCode);
        Assert.Contains("endpoint_id", badId.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknownDelivery.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badCursor.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, tooMany.StatusCode);
        Assert.Single((await new Webhooks.WebhooksClient(other).ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest())).Endpoints);
    }

    [Fact]
    public async Task Poolctl_adds_tests_lists_and_removes_webhooks_and_lists_a_leases_messages()
    {
        var (_, key, lease) = await fixture.TenantWithLeaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();

        var add = await fixture.PoolCtlAsync(key, "--json", "webhooks", "add", receiver.Url, "--description", "ops");
        var created = JsonDocument.Parse(add.Out).RootElement;
        var endpointId = created.GetProperty("endpoint").GetProperty("endpointId").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        var test = await fixture.PoolCtlAsync(key, "webhooks", "test", endpointId);
        var list = await fixture.PoolCtlAsync(key, "webhooks", "list");
        await SendAsync(key, lease.Number, "Your code is 123987");
        await AcceptedAsync(receiver, 2, "the test event and the message");
        var deliveries = await fixture.PoolCtlAsync(key, "webhooks", "deliveries", "--status", "delivered");
        var messages = await fixture.PoolCtlAsync(key, "messages", "list", lease.LeaseId);
        var remove = await fixture.PoolCtlAsync(key, "webhooks", "remove", endpointId);
        var listAfter = await fixture.PoolCtlAsync(key, "webhooks", "list");
        var badStatus = await fixture.PoolCtlAsync(key, "webhooks", "deliveries", "--status", "lost");

        Assert.True(add.Exit == 0, add.Err);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(test.Exit == 0, test.Err);
        Assert.Contains("ok: HTTP 200", test.Out, StringComparison.Ordinal);
        Assert.True(receiver.Received[0].SignedWith(secret), "the test event is signed with the endpoint's secret");
        Assert.Contains("webhook.test", receiver.Received[0].Text, StringComparison.Ordinal);
        Assert.Contains(endpointId, list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.Out, StringComparison.Ordinal);
        Assert.Contains("delivered", deliveries.Out, StringComparison.Ordinal);
        Assert.Contains("123987", messages.Out, StringComparison.Ordinal);
        Assert.Equal(0, remove.Exit);
        Assert.Contains("no webhook endpoints", listAfter.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badStatus.Exit);
    }

    [Fact]
    public async Task Poolctl_webhooks_test_reports_an_endpoint_that_does_not_answer()
    {
        var (tenant, key, _) = await fixture.TenantWithLeaseAsync();
        var closed = FreePorts.Take(1)[0];
        var created = await new Webhooks.WebhooksClient(tenant).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = $"http://127.0.0.1:{closed}/hooks" });

        var test = await fixture.PoolCtlAsync(key, "webhooks", "test", created.Endpoint.EndpointId);

        Assert.Equal(ExitCodes.Failed, test.Exit);
        Assert.Contains("failed: request failed", test.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poolctl_inbound_send_refuses_a_wrong_secret_and_bad_options_and_stores_nothing()
    {
        var (_, key, lease) = await fixture.TenantWithLeaseAsync();
        var secretFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(secretFile, "not-the-carrier-secret");
        try
        {
            var wrongSecret = await fixture.PoolCtlAsync(key, "inbound", "send", "--carrier", DeliveryFixture.Carrier, "--secret-file", secretFile, "--to", lease.Number, "--text", "code 1");
            var missingFile = await fixture.PoolCtlAsync(key, "inbound", "send", "--carrier", DeliveryFixture.Carrier, "--secret-file", secretFile + ".none", "--to", lease.Number, "--text", "code 1");
            var badNumber = await SendAsync(key, "12345", "code 1");
            var tooManyParts = await SendAsync(key, lease.Number, "code 1", "--parts", "11");
            var unknownCarrier = await fixture.PoolCtlAsync(key, "inbound", "send", "--carrier", "nobody", "--to", lease.Number, "--text", "code 1");
            var stored = await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM messages WHERE number = '{lease.Number}'");

            Assert.Equal(ExitCodes.NotAllowed, wrongSecret.Exit);
            Assert.Contains("401", wrongSecret.Err, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Usage, missingFile.Exit);
            Assert.Contains("does not exist", missingFile.Err, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Usage, badNumber.Exit);
            Assert.Contains("to ", badNumber.Err, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Usage, tooManyParts.Exit);
            Assert.Equal(ExitCodes.NotAllowed, unknownCarrier.Exit);
            Assert.Equal(0, stored);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public async Task Poolctl_watch_needs_either_a_lease_or_all()
    {
        var (_, key, lease) = await fixture.TenantWithLeaseAsync();

        var neither = await fixture.PoolCtlAsync(key, "watch");
        var both = await fixture.PoolCtlAsync(key, "watch", lease.LeaseId, "--all");
        var badCursor = await fixture.PoolCtlAsync(key, "watch", "--all", "--after", "msg_x");

        Assert.Equal(ExitCodes.Usage, neither.Exit);
        Assert.Equal(ExitCodes.Usage, both.Exit);
        Assert.Contains("either a lease id or --all", both.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badCursor.Exit);
    }
}
