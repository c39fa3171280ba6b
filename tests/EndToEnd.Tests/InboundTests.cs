using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Pool.Carriers.Http;
using Pool.Sms.Encoding;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>A Pool with one HTTP carrier, "sim", whose secret the tests sign with.</summary>
public sealed class CarrierPoolFixture() : HostFixture("in")
{
    public const string Carrier = "sim";
    public const string Secret = "test-carrier-secret-0123456789abcdef";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { [$"Pool:Carriers:{Carrier}:Secret"] = Secret };
}

/// <summary>Inbound SMS from an HTTP carrier: authenticated, stored once, routed to the live lease, code extracted.</summary>
public sealed class InboundTests(CarrierPoolFixture fixture) : IClassFixture<CarrierPoolFixture>
{
    private static int s_block = 50;

    private async Task<(Lease Lease, string Pool)> LeaseAsync()
    {
        var block = Interlocked.Increment(ref s_block);
        var pool = $"in-{block}-{Guid.NewGuid():n}"[..20];
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { $"+8526{block % 100:D2}00001" } });
        return (await new Leases.LeasesClient(fixture.Admin).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" }), pool);
    }

    private async Task<HttpResponseMessage> PostAsync(object body, string? secret = CarrierPoolFixture.Secret, long? timestamp = null, string carrier = CarrierPoolFixture.Carrier, string? signature = null, string path = "messages")
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var http = fixture.Pool.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/carriers/{carrier}/{path}", UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(CarrierSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (secret is not null || signature is not null)
        {
            request.Headers.Add(CarrierSignature.SignatureHeader, signature ?? CarrierSignature.Sign(secret!, ts, bytes));
        }

        return await http.SendAsync(request);
    }

    private Task<ListMessagesResponse> MessagesAsync(string leaseId) =>
        new Leases.LeasesClient(fixture.Admin).ListMessagesAsync(new ListMessagesRequest { LeaseId = leaseId }).ResponseAsync;

    private static Dictionary<string, string> Sms(string id, string to, string text, string encoding = "text") =>
        new Dictionary<string, string> { ["message_id"] = id, ["from"] = "Telegram", ["to"] = to, ["text"] = text, ["encoding"] = encoding };

    [Fact]
    public async Task A_signed_SMS_reaches_the_lease_with_its_code_and_a_duplicate_is_stored_once()
    {
        var (lease, _) = await LeaseAsync();
        var id = $"c-{Guid.NewGuid():n}";

        var first = await PostAsync(Sms(id, lease.Number, "Telegram code: 48213. Do not give this code to anyone."));
        // The carrier retries the same message: a new request (new timestamp, new signature), same message id.
        var again = await PostAsync(Sms(id, lease.Number, "Telegram code: 48213. Do not give this code to anyone."), timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var messages = await MessagesAsync(lease.LeaseId);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Contains("delivered", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var message = Assert.Single(messages.Messages);
        Assert.Equal("48213", message.Code);
        Assert.Equal("Telegram", message.Sender);
    }

    [Fact]
    public async Task A_delivery_receipt_needs_a_valid_signature_and_status_and_one_for_an_unknown_message_is_kept_pending()
    {
        var unknown = await PostAsync(new Dictionary<string, string> { ["message_id"] = "never-sent", ["status"] = "delivered" }, path: "receipts");
        var unsigned = await PostAsync(new Dictionary<string, string> { ["message_id"] = "never-sent", ["status"] = "delivered" }, secret: "not-the-secret-not-the-secret-0000", path: "receipts");
        var badStatus = await PostAsync(new Dictionary<string, string> { ["message_id"] = "x", ["status"] = "lost" }, path: "receipts");
        var noId = await PostAsync(new Dictionary<string, string> { ["status"] = "delivered" }, path: "receipts");

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("\"outcome\":\"pending\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("'lost'", await badStatus.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noId.StatusCode);
    }

    [Fact]
    public async Task A_UCS2_Chinese_SMS_is_decoded_and_its_code_extracted()
    {
        var (lease, _) = await LeaseAsync();
        var hex = Convert.ToHexString(Ucs2.Encode("【QQ阅读】您的验证码868303,该验证码5分钟内有效"));

        var response = await PostAsync(Sms($"u-{Guid.NewGuid():n}", lease.Number, hex, "ucs2"));
        var message = Assert.Single((await MessagesAsync(lease.LeaseId)).Messages);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("868303", message.Code);
        Assert.Equal("QQ阅读", message.Service);
        Assert.StartsWith("【QQ阅读】", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_for_a_number_without_a_live_lease_is_stored_as_unsolicited_and_reaches_no_tenant()
    {
        var (lease, _) = await LeaseAsync();
        await new Leases.LeasesClient(fixture.Admin).ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId });

        var response = await PostAsync(Sms($"x-{Guid.NewGuid():n}", lease.Number, "Your code is 1234"));
        var stored = await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM messages WHERE number = '{lease.Number}' AND lease_id IS NULL");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("unsolicited", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, stored);
        Assert.Empty((await MessagesAsync(lease.LeaseId)).Messages);
    }

    [Fact]
    public async Task Bad_missing_stale_or_replayed_signatures_are_refused_and_store_nothing()
    {
        var (lease, _) = await LeaseAsync();
        var body = Sms($"s-{Guid.NewGuid():n}", lease.Number, "code 999999");
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var wrongSecret = await PostAsync(body, secret: "not-the-secret-not-the-secret-0000");
        var missing = await PostAsync(body, secret: null);
        var stale = await PostAsync(body, timestamp: now - 3600);
        var unknownCarrier = await PostAsync(body, carrier: "nobody");
        var signature = CarrierSignature.Sign(CarrierPoolFixture.Secret, now, bytes);
        var accepted = await PostAsync(body, secret: null, timestamp: now, signature: signature);
        var replayed = await PostAsync(Sms($"s2-{Guid.NewGuid():n}", lease.Number, "code 999999"), secret: null, timestamp: now, signature: signature);

        Assert.All([wrongSecret, missing, stale, unknownCarrier, replayed], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Single((await MessagesAsync(lease.LeaseId)).Messages);
    }

    [Fact]
    public async Task A_malformed_message_is_a_bad_request_naming_the_field()
    {
        var response = await PostAsync(new Dictionary<string, string> { ["message_id"] = "m1", ["from"] = "x", ["to"] = "85251234567", ["text"] = "zz", ["encoding"] = "ucs2" });
        var detail = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("to ", detail, StringComparison.Ordinal);
        Assert.Contains("hexadecimal", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenant_cannot_read_a_leases_messages()
    {
        var (lease, _) = await LeaseAsync();
        var tenants = new Tenants.TenantsClient(fixture.Admin);
        var tenant = $"m-{Guid.NewGuid():n}"[..12];
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        var key = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant })).Secret;
        using var channel = GrpcChannel.ForAddress(fixture.Pool.GrpcAddress);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Leases.LeasesClient(Authorized.With(channel, key)).ListMessagesAsync(new ListMessagesRequest { LeaseId = lease.LeaseId }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task A_code_moves_the_session_to_code_received_and_asking_for_another_SMS_returns_it_to_waiting()
    {
        var (lease, _) = await LeaseAsync();
        var leases = new Leases.LeasesClient(fixture.Admin);
        var tooEarly = await Assert.ThrowsAsync<RpcException>(async () => await leases.RequestAnotherSmsAsync(new RequestAnotherSmsRequest { LeaseId = lease.LeaseId }));

        await PostAsync(Sms($"r-{Guid.NewGuid():n}", lease.Number, "Your verification code is 731904"));
        var received = await leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId });
        var waiting = await leases.RequestAnotherSmsAsync(new RequestAnotherSmsRequest { LeaseId = lease.LeaseId });
        var again = await Assert.ThrowsAsync<RpcException>(async () => await leases.RequestAnotherSmsAsync(new RequestAnotherSmsRequest { LeaseId = lease.LeaseId }));

        Assert.Equal(SessionState.Waiting, lease.SessionState);
        Assert.Equal(StatusCode.FailedPrecondition, tooEarly.StatusCode);
        Assert.Equal(SessionState.CodeReceived, received.SessionState);
        Assert.Equal(SessionState.Waiting, waiting.SessionState);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
    }

    [Fact]
    public async Task A_message_stream_pushes_new_messages_resumes_after_a_cursor_and_ends_with_the_lease()
    {
        var (lease, _) = await LeaseAsync();
        var leases = new Leases.LeasesClient(fixture.Admin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = leases.WatchMessages(new WatchMessagesRequest { LeaseId = lease.LeaseId }, cancellationToken: timeout.Token);

        // While the stream waits inside the lease grain, the grain still answers other calls.
        var read = watch.ResponseStream.MoveNext(timeout.Token);
        var get = leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId }).ResponseAsync;
        Assert.Same(get, await Task.WhenAny(get, Task.Delay(TimeSpan.FromSeconds(10), timeout.Token)));

        await PostAsync(Sms($"w1-{Guid.NewGuid():n}", lease.Number, "Your code is 111222"));
        Assert.True(await read, "the stream should deliver the first SMS");
        var first = watch.ResponseStream.Current;
        await PostAsync(Sms($"w2-{Guid.NewGuid():n}", lease.Number, "Your code is 333444"), timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token), "the stream should deliver the second SMS");
        var second = watch.ResponseStream.Current;

        using var resumed = leases.WatchMessages(new WatchMessagesRequest { LeaseId = lease.LeaseId, AfterMessageId = first.MessageId }, cancellationToken: timeout.Token);
        Assert.True(await resumed.ResponseStream.MoveNext(timeout.Token));
        var afterCursor = resumed.ResponseStream.Current;
        await leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId });
        var ended = await watch.ResponseStream.MoveNext(timeout.Token);

        Assert.Equal("111222", first.Code);
        Assert.Equal("333444", second.Code);
        Assert.Equal(second.MessageId, afterCursor.MessageId);
        Assert.False(ended, "the stream should end when the lease ends");
    }

    [Fact]
    public async Task A_message_stream_waits_even_when_its_lease_counted_more_messages_than_it_lists()
    {
        var (lease, _) = await LeaseAsync();
        // What a carrier's retry after a lost answer can leave: the lease counted a message it does not list.
        await fixture.Pool.Services.GetRequiredService<IGrainFactory>().GetGrain<Contracts.Leases.ILeaseGrain>(lease.LeaseId).RecordMessageAsync(hasCode: false);
        var leases = new Leases.LeasesClient(fixture.Admin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var listings = new CommandCounter("FROM messages WHERE lease_id = $1");
        using var watch = leases.WatchMessages(new WatchMessagesRequest { LeaseId = lease.LeaseId }, cancellationToken: timeout.Token);
        var read = watch.ResponseStream.MoveNext(timeout.Token);

        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        var listedWhileIdle = listings.Count;
        await PostAsync(Sms($"wc-{Guid.NewGuid():n}", lease.Number, "Your code is 515253"));
        var delivered = await read;

        Assert.True(listedWhileIdle < 20, $"the stream listed the lease's messages {listedWhileIdle} times in 2 s without a new message: it does not wait");
        Assert.True(delivered, "the stream should deliver the SMS");
        Assert.Equal("515253", watch.ResponseStream.Current.Code);
    }

    /// <summary>Counts the PostgreSQL commands of this process whose text contains a fragment (Npgsql's own tracing).</summary>
    private sealed class CommandCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private int _count;

        public CommandCounter(string fragment)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.GetTagItem("db.statement") is string sql && sql.Contains(fragment, StringComparison.Ordinal)
                        || activity.GetTagItem("db.query.text") is string text && text.Contains(fragment, StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task A_cursor_that_is_not_a_message_of_the_lease_is_invalid()
    {
        var (lease, _) = await LeaseAsync();
        using var watch = new Leases.LeasesClient(fixture.Admin).WatchMessages(new WatchMessagesRequest { LeaseId = lease.LeaseId, AfterMessageId = "msg_nope" });

        var error = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Poolctl_watch_prints_each_SMS_with_its_code_and_stops_when_the_lease_ends()
    {
        var (lease, _) = await LeaseAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var watching = Pool.Cli.PoolCtl.RunAsync(
            ["--api", fixture.Pool.GrpcAddress, "--api-key", fixture.Pool.AdminKey, "--json", "watch", lease.LeaseId], TextWriter.Synchronized(output), error);

        await PostAsync(Sms($"p-{Guid.NewGuid():n}", lease.Number, "Your code is 555666"));
        await Pool.Testing.Eventually.ReturnsAsync(
            () => Task.FromResult(output.ToString()), text => text.Contains("555666", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "poolctl watch to print the SMS");
        await new Leases.LeasesClient(fixture.Admin).ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId });
        var finished = await Task.WhenAny(watching, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(watching, finished);
        Assert.Equal(0, await watching);
        var line = JsonDocument.Parse(output.ToString().Trim().Split('\n')[0]).RootElement;
        Assert.Equal("555666", line.GetProperty("code").GetString());
    }
}
