using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Pool.Carriers.Http;
using Pool.Contracts.Tracing;
using Pool.Silo.Hosting;
using Pool.Sms.Logging;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>A Pool with an HTTP carrier and webhooks (as <see cref="DeliveryFixture"/>) whose spans go to an in-memory exporter.</summary>
public sealed class TracingFixture() : HostFixture("tr")
{
    /// <summary>Every span the Pool exported (and spans of other hosts in this test process: select by trace id).</summary>
    public SpanCollection Spans { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => DeliveryFixture.CarrierAndFastRetries;

    protected override Action<WebApplicationBuilder> Customize => builder => PoolTracing.AddExporter(builder.Services, tracing => tracing.AddInMemoryExporter(Spans));
}

/// <summary>The exporter's collection, safe to read while spans are exported.</summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item) => Snapshot().Contains(item);

    public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Traces of a lease and of an inbound SMS, end to end through a real host, and what they must never hold.</summary>
public sealed class TracingTests(TracingFixture fixture) : IClassFixture<TracingFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_lease_and_its_SMS_are_each_one_trace_from_the_request_to_the_database_and_the_stream_with_the_number_masked()
    {
        // The test is an untraced client: its own calls must not start (unsampled) traces the server would follow.
        using var untraced = SuppressInstrumentationScope.Begin();
        var (tenant, _) = await fixture.NewTenantAsync("tr-t");
        var pool = $"tr-{Guid.NewGuid():n}"[..16];
        var number = $"+8526{Random.Shared.Next(100, 999)}0001";
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { number } });
        await using var receiver = await WebhookReceiver.StartAsync();
        await new Webhooks.WebhooksClient(tenant).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = receiver.Url, Description = "tracing" });
        var lease = await new Leases.LeasesClient(tenant).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        Assert.Equal(number, lease.Number);

        using var timeout = new CancellationTokenSource(s_wait);
        using var stream = new Leases.LeasesClient(tenant).WatchAllMessages(new WatchAllMessagesRequest(), cancellationToken: timeout.Token);
        var posted = await PostAsync(lease.Number, "Telegram code: 48213");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.True(await stream.ResponseStream.MoveNext(timeout.Token), "the tenant's stream yields the SMS");
        var messageId = stream.ResponseStream.Current.MessageId;
        await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Accepted.Count), count => count >= 1, s_wait, "the webhook of the SMS to be delivered");

        // The lease: the gRPC server span, the grain calls it made (client and server side) and their SQL, in one trace.
        // Other test classes' Pools in this process serve CreateLease too, and the exporter sees their
        // ASP.NET Core spans: take the one served on this fixture's port.
        var leaseCall = await SpanAsync(s => IsServedHere(s, fixture.Pool.GrpcAddress) && s.DisplayName.Contains("CreateLease", StringComparison.Ordinal), "the CreateLease server span");
        Assert.Equal("grpc", leaseCall.GetTagItem("rpc.system.name"));
        Assert.Equal("pool.v1.Leases/CreateLease", leaseCall.GetTagItem("rpc.method"));
        var leaseTrace = await TraceAsync(
            leaseCall.TraceId,
            t => t.Any(IsNpgsql) && t.Any(IsGrainServer) && t.Any(s => s.DisplayName == PoolActivity.StorageStatement && t.Any(c => IsNpgsql(c) && c.ParentSpanId == s.SpanId)),
            "the lease's grain calls, its grain state written by a group-commit statement, and SQL commands");
        var grainClient = Assert.Single(leaseTrace, s => IsGrainClient(s) && s.ParentSpanId == leaseCall.SpanId && s.DisplayName.Contains("ILeaseGrain", StringComparison.Ordinal));
        Assert.Contains(leaseTrace, s => IsGrainServer(s) && s.ParentSpanId == grainClient.SpanId);
        Assert.Contains(leaseTrace, s => IsGrainServer(s) && s.DisplayName.Contains("INumberGrain", StringComparison.Ordinal));
        Assert.All(leaseTrace.Where(IsNpgsql), s => Assert.Contains(leaseTrace, p => p.SpanId == s.ParentSpanId));
        AssertNoParameterValues(leaseTrace.Where(IsNpgsql));

        // The SMS: the carrier's POST through the inbound spans and grain calls to the stream write and the webhook send.
        var post = await SpanAsync(s => IsServedHere(s, fixture.Pool.HttpAddress) && s.DisplayName.Contains("/carriers/", StringComparison.Ordinal), "the carrier POST's server span");
        var smsTrace = await TraceAsync(
            post.TraceId,
            t => t.Any(s => s.DisplayName == PoolActivity.StreamWrite) && t.Any(s => s.DisplayName == PoolActivity.WebhookSend) && t.Any(IsHttpClient),
            "the SMS's stream write and webhook send in the carrier's trace");
        foreach (var name in new[] { PoolActivity.InboundReceive, PoolActivity.InboundStore, PoolActivity.InboundRoute })
        {
            Assert.Contains(smsTrace, s => s.DisplayName == name && s.Source.Name == PoolActivity.SourceName);
        }

        Assert.Contains(smsTrace, s => IsGrainServer(s) && s.DisplayName.Contains("IInboundGrain", StringComparison.Ordinal));
        Assert.Contains(smsTrace, s => IsGrainServer(s) && s.DisplayName.Contains("ITenantInboxGrain", StringComparison.Ordinal));
        Assert.Contains(smsTrace, IsNpgsql);
        var write = Assert.Single(smsTrace, s => s.DisplayName == PoolActivity.StreamWrite);
        Assert.Equal(messageId, write.GetTagItem(PoolActivity.MessageIdTag));
        Assert.Contains(write.Links, link => link.Context.TraceId != post.TraceId); // linked to the stream's own call
        var send = Assert.Single(smsTrace, s => s.DisplayName == PoolActivity.WebhookSend);
        Assert.Contains(smsTrace, s => IsHttpClient(s) && s.ParentSpanId == send.SpanId);
        AssertNoParameterValues(smsTrace.Where(IsNpgsql));

        // Privacy: the number is in grain ids (the number grain's key), and no exported span holds it in full.
        Assert.Contains(leaseTrace, s => s.TagObjects.Any(t => t.Value is string v && v.Contains("number/+852", StringComparison.Ordinal)));
        var digits = number[1..];
        foreach (var span in fixture.Spans.Snapshot())
        {
            foreach (var text in Texts(span))
            {
                Assert.False(text.Contains(digits, StringComparison.Ordinal), $"span '{span.DisplayName}' ({span.Source.Name}) holds the leased number: {text}");
            }
        }
    }

    [Fact]
    public void Tracing_is_off_by_default_no_tracer_provider_and_no_grain_call_propagation()
    {
        using var app = PoolHost.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Pool:Api:Dashboard"] = "false" }));

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.DoesNotContain(app.Services.GetServices<Orleans.IOutgoingGrainCallFilter>(), f => f.GetType().Name.Contains("ActivityPropagation", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Services.GetServices<Orleans.IIncomingGrainCallFilter>(), f => f.GetType().Name.Contains("ActivityPropagation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("all")]
    [InlineData("api")]
    public void An_OTLP_endpoint_turns_tracing_on_with_grain_call_propagation(string role)
    {
        using var app = PoolHost.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pool:Role"] = role,
            ["Pool:Telemetry:Otlp:Endpoint"] = "http://127.0.0.1:4318",
            ["Pool:Telemetry:Otlp:Protocol"] = "http/protobuf",
            ["Pool:Telemetry:SampleRatio"] = "0.25",
        }));

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.Contains(app.Services.GetServices<Orleans.IOutgoingGrainCallFilter>(), f => f.GetType().Name.Contains("ActivityPropagation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Pool:Telemetry:SampleRatio", "1.5")]
    [InlineData("Pool:Telemetry:Otlp:Protocol", "thrift")]
    [InlineData("Pool:Telemetry:Otlp:Endpoint", "collector:4317")]
    public void A_bad_telemetry_setting_stops_the_process_naming_the_setting(string setting, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => PoolHost.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value })));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    private static bool IsGrainClient(Activity s) => s.Kind == ActivityKind.Client && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal);

    private static bool IsGrainServer(Activity s) => s.Kind == ActivityKind.Server && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal);

    private static bool IsNpgsql(Activity s) => s.Source.Name == "Npgsql";

    /// <summary>An ASP.NET Core server span of a request to <paramref name="address"/>'s port.</summary>
    private static bool IsServedHere(Activity s, string address) =>
        s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore"
        && Convert.ToString(s.GetTagItem("server.port"), System.Globalization.CultureInfo.InvariantCulture) == new Uri(address).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsHttpClient(Activity s) => s.Kind == ActivityKind.Client && s.Source.Name is "System.Net.Http" or "OpenTelemetry.Instrumentation.Http";

    /// <summary>Npgsql records the SQL text with its $n placeholders and never the values bound to them.</summary>
    private static void AssertNoParameterValues(IEnumerable<Activity> commands)
    {
        foreach (var command in commands)
        {
            Assert.DoesNotContain(command.TagObjects, t => t.Key.Contains("parameter", StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Every text a span exports: its name, string tags, status description, events and their tags, baggage.</summary>
    private static IEnumerable<string> Texts(Activity span)
    {
        yield return span.DisplayName;
        yield return span.OperationName;
        foreach (var tag in span.TagObjects)
        {
            yield return $"{tag.Key}={tag.Value}";
        }

        yield return span.StatusDescription ?? "";
        foreach (var spanEvent in span.Events)
        {
            yield return spanEvent.Name;
            foreach (var tag in spanEvent.Tags)
            {
                yield return $"{tag.Key}={tag.Value}";
            }
        }

        foreach (var item in span.Baggage)
        {
            yield return $"{item.Key}={item.Value}";
        }
    }

    private Task<Activity> SpanAsync(Func<Activity, bool> match, string expected) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Spans.Snapshot().FirstOrDefault(match)), span => span is not null, s_wait, expected)!;

    private Task<IReadOnlyList<Activity>> TraceAsync(ActivityTraceId traceId, Func<IReadOnlyList<Activity>, bool> complete, string expected) =>
        Eventually.ReturnsAsync(() => Task.FromResult<IReadOnlyList<Activity>>([.. fixture.Spans.Snapshot().Where(s => s.TraceId == traceId)]), complete, s_wait, expected);

    private async Task<HttpResponseMessage> PostAsync(string to, string text)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message_id"] = $"c-{Guid.NewGuid():n}", ["from"] = "Telegram", ["to"] = to, ["text"] = text });
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var http = fixture.Pool.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/carriers/{DeliveryFixture.Carrier}/messages", UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(CarrierSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(CarrierSignature.SignatureHeader, CarrierSignature.Sign(DeliveryFixture.CarrierSecret, ts, bytes));
        return await http.SendAsync(request);
    }
}

/// <summary>The span masking on its own: what Orleans, ASP.NET Core, HttpClient and SMPP put into spans.</summary>
public sealed class SpanMaskingTests
{
    [Theory]
    [InlineData("number/+85251234567", "number/+852****4567")]
    [InlineData("INumberGrain/RecordMessageAsync number/+85251234567", "INumberGrain/RecordMessageAsync number/+852****4567")]
    [InlineData("/carriers/sim/messages?to=%2B85251234567&x=1", "/carriers/sim/messages?to=%2B852****4567&x=1")]
    [InlineData("destination 85251234567 (no plus)", "destination 852****4567 (no plus)")]
    [InlineData("mo-3fa9c1234567890abc", "mo-3fa9c1234567890abc")]
    [InlineData("SELECT 1 FROM messages WHERE id = $1", "SELECT 1 FROM messages WHERE id = $1")]
    public void Phone_numbers_are_masked_with_or_without_their_plus_and_ids_are_left_alone(string text, string expected)
    {
        var masked = TraceRedaction.Mask(text);

        Assert.Equal(expected, masked);
    }

    [Fact]
    public void A_span_is_masked_in_its_name_tags_and_status_and_dropped_when_an_event_holds_a_number()
    {
        using var source = new ActivitySource("Pool.Tests.Masking");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using var span = source.StartActivity("INumberGrain/LeaseAsync number/+85251234567")!;
        span.SetTag("rpc.orleans.target_id", "number/+85251234567").SetTag("url.query", "to=%2B85251234567").SetTag("pool.message.id", "mo-3fa9c1234567890abc")
            .SetTag("db.npgsql.data_source", "Host=db;Port=5432;Database=pool;Username=pool;Password=s3cret").SetTag("db.system.name", "postgresql");
        span.SetStatus(ActivityStatusCode.Error, "number/+85251234567 is not leased");
        span.Stop();
        SpanMasking.Mask(span);

        Assert.DoesNotContain("51234567", span.DisplayName, StringComparison.Ordinal);
        Assert.DoesNotContain(span.TagObjects, t => t.Value is string v && v.Contains("51234567", StringComparison.Ordinal));
        Assert.Equal("mo-3fa9c1234567890abc", span.GetTagItem("pool.message.id"));
        Assert.Equal(SpanMasking.ConnectionStringWithheld, span.GetTagItem("db.npgsql.data_source"));
        Assert.Equal("postgresql", span.GetTagItem("db.system.name"));
        Assert.DoesNotContain("51234567", span.StatusDescription, StringComparison.Ordinal);
        Assert.True(span.Recorded, "a span masked in place is still exported");

        using var withEvent = source.StartActivity("inbound")!;
        withEvent.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection { ["exception.message"] = "no lease for +85251234567" }));
        withEvent.Stop();
        SpanMasking.Mask(withEvent);

        Assert.False(withEvent.Recorded, "a span whose event holds a number (events cannot be changed) is not exported");
    }
}
