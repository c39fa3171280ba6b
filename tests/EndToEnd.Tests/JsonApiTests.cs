using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pool.Carriers.Http;
using Pool.Sms.Otp;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// A Pool for the HTTP/JSON tests: an HTTP carrier "web" whose secret the tests sign inbound SMS
/// with, the embedded carrier simulator (SMSCs sim-a and sim-b) and outbound verification keys.
/// </summary>
public sealed class JsonApiFixture() : HostFixture("js")
{
    public const string Carrier = "web";
    public const string CarrierSecret = "json-carrier-secret-0123456789abcdef";

    private int _tenants;
    private int _blocks;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        [$"Pool:Carriers:{Carrier}:Secret"] = CarrierSecret,
        ["Pool:Simulator:Enabled"] = "true",
        ["Pool:Verification:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Pool:Verification:IndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    private HttpClient _http = null!;

    /// <summary>HTTP/JSON calls on the Pool's HTTP address with the admin key.</summary>
    public JsonApiClient Json { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _http = Pool.CreateHttpClient();
        Json = new JsonApiClient(_http, AdminKey);
    }

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A new tenant and a key of it (role tenant), both made over HTTP/JSON by the admin.</summary>
    /// <param name="requestsPerSecond">The tenant's request rate, set (PUT /v1/tenants/{tenant}/limits) before its key exists; null keeps the default.</param>
    /// <param name="allowedCidrs">The key's address allowlist; empty allows any address.</param>
    public async Task<JsonApiClient> NewTenantAsync(int? requestsPerSecond = null, string[]? allowedCidrs = null)
    {
        var tenant = $"json-{Interlocked.Increment(ref _tenants)}";
        var created = await Json.PostAsync("/v1/tenants", new { tenant, name = "JSON tenant" });
        Assert.True(created.Status == HttpStatusCode.OK, $"POST /v1/tenants should create the tenant: {created}");
        if (requestsPerSecond is { } rate)
        {
            var limits = await Json.PutAsync($"/v1/tenants/{tenant}/limits", new { limits = new { requestsPerSecond = rate } });
            Assert.True(limits.Status == HttpStatusCode.OK, $"PUT /v1/tenants/{tenant}/limits should set the rate: {limits}");
        }

        var key = await Json.PostAsync($"/v1/tenants/{tenant}/keys", new { label = "json tests", role = "API_KEY_ROLE_TENANT", allowedCidrs = allowedCidrs ?? [] });
        Assert.True(key.Status == HttpStatusCode.OK, $"POST /v1/tenants/{tenant}/keys should create a key: {key}");
        return Json.As(key.Get("secret"));
    }

    /// <summary>A unique pool of <paramref name="count"/> Hong Kong numbers, added over HTTP/JSON.</summary>
    public async Task<(string Pool, string[] Numbers)> NewPoolAsync(int count)
    {
        var block = Interlocked.Increment(ref _blocks);
        var pool = $"js-{block}-{Guid.NewGuid():n}"[..20];
        string[] numbers = [.. Enumerable.Range(0, count).Select(i => $"+8527{block % 100:D2}{i:D5}")];
        var added = await Json.PostAsync($"/v1/pools/{pool}/numbers", new { country = "HK", numbers });
        Assert.True(added.Status == HttpStatusCode.OK && added.Json.GetProperty("added").GetInt32() == count, $"POST /v1/pools/{pool}/numbers should add {count}: {added}");
        return (pool, numbers);
    }

    /// <summary>Delivers an SMS to <paramref name="to"/> as the HTTP carrier does (signed JSON on /carriers/web/messages).</summary>
    public async Task DeliverSmsAsync(string to, string text)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["message_id"] = $"js-{Guid.NewGuid():n}", ["from"] = "Telegram", ["to"] = to, ["text"] = text, ["encoding"] = "text",
        });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/carriers/{Carrier}/messages", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(CarrierSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(CarrierSignature.SignatureHeader, CarrierSignature.Sign(CarrierSecret, timestamp, body));
        using var response = await _http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"the carrier's SMS should be accepted: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>
/// The pool.v1 API over HTTP/JSON (gRPC JSON transcoding) on the HTTP port of a real Pool: the
/// flows a backend without gRPC runs, with the same keys, roles and errors as gRPC.
/// </summary>
public sealed class JsonApiTests(JsonApiFixture fixture) : IClassFixture<JsonApiFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private JsonApiClient Admin => fixture.Json;

    [Fact]
    public async Task An_operator_adds_numbers_to_a_pool_and_reads_its_stats_and_a_number_by_its_url_encoded_E164()
    {
        var (pool, numbers) = await fixture.NewPoolAsync(3);

        var again = await Admin.PostAsync($"/v1/pools/{pool}/numbers", new { country = "HK", numbers = new[] { numbers[0] } });
        var stats = await Admin.GetAsync($"/v1/pools/{pool}/stats");
        var encoded = await Admin.GetAsync($"/v1/numbers/{Uri.EscapeDataString(numbers[1])}");
        var plain = await Admin.GetAsync($"/v1/numbers/{numbers[1]}");
        var pools = await Admin.GetAsync("/v1/pools?country=HK");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(0, again.Json.GetProperty("added").GetInt32());
        Assert.Equal([numbers[0]], again.Json.GetProperty("alreadyPresent").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.OK, stats.Status);
        Assert.Equal((3, 3), (stats.Json.GetProperty("total").GetInt32(), stats.Json.GetProperty("available").GetInt32()));
        Assert.StartsWith("/v1/numbers/%2B852", $"/v1/numbers/{Uri.EscapeDataString(numbers[1])}", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, encoded.Status);
        Assert.Equal((numbers[1], pool, "NUMBER_STATE_AVAILABLE"), (encoded.Get("number"), encoded.Get("pool"), encoded.Get("state")));
        Assert.Equal(encoded.Text, plain.Text);
        Assert.Contains(pool, pools.Json.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("pool").GetString()));
    }

    [Fact]
    public async Task A_tenant_creates_a_lease_reads_and_lists_it_gets_its_SMS_and_releases_it()
    {
        var (pool, numbers) = await fixture.NewPoolAsync(1);
        var tenant = await fixture.NewTenantAsync();

        var created = await tenant.PostAsync("/v1/leases", new { country = "HK", pool, service = "telegram", ttl = "300s" });
        var leaseId = created.Get("leaseId");
        var read = await tenant.GetAsync($"/v1/leases/{leaseId}");
        // Listings read the leases table, which follows the lease grains within moments.
        var listed = await Eventually.ReturnsAsync(
            () => tenant.GetAsync("/v1/leases?activeOnly=true"), reply => reply.Json.TryGetProperty("leases", out var leases) && leases.GetArrayLength() > 0, s_wait, "the lease on GET /v1/leases");
        await fixture.DeliverSmsAsync(created.Get("number"), "Telegram code: 48213. Do not give this code to anyone.");
        var messages = await Eventually.ReturnsAsync(
            () => tenant.GetAsync($"/v1/leases/{leaseId}/messages"), reply => reply.Json.GetProperty("messages").GetArrayLength() > 0, s_wait, "the SMS on GET /v1/leases/{id}/messages");
        var released = await tenant.PostAsync($"/v1/leases/{leaseId}:release", new { outcome = "LEASE_OUTCOME_COMPLETED" });

        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        Assert.Matches("^ls_[0-9a-f]{32}$", leaseId);
        Assert.Equal(numbers[0], created.Get("number"));
        Assert.Equal(("telegram", "LEASE_STATE_ACTIVE"), (created.Get("service"), created.Get("state")));
        Assert.Equal(TimeSpan.FromMinutes(5), created.Json.GetProperty("expireTime").GetDateTimeOffset() - created.Json.GetProperty("createTime").GetDateTimeOffset());
        Assert.Equal(created.Text, read.Text);
        Assert.Equal([leaseId], listed.Json.GetProperty("leases").EnumerateArray().Select(l => l.GetProperty("leaseId").GetString()));
        var message = Assert.Single(messages.Json.GetProperty("messages").EnumerateArray());
        Assert.Equal("48213", message.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal(("LEASE_STATE_ENDED", "LEASE_OUTCOME_COMPLETED"), (released.Get("state"), released.Get("outcome")));
    }

    [Fact]
    public async Task Watching_a_lease_over_HTTP_streams_each_SMS_as_a_JSON_object_as_it_arrives()
    {
        var (pool, _) = await fixture.NewPoolAsync(1);
        var tenant = await fixture.NewTenantAsync();
        var lease = await tenant.PostAsync("/v1/leases", new { country = "HK", pool, service = "telegram" });
        using var timeout = new CancellationTokenSource(s_wait);

        using var request = tenant.Request(HttpMethod.Get, $"/v1/leases/{lease.Get("leaseId")}/messages:watch");
        var watching = tenant.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var watchingAll = tenant.Http.SendAsync(tenant.Request(HttpMethod.Get, "/v1/messages:watch"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await fixture.DeliverSmsAsync(lease.Get("number"), "Your Telegram code is 77120");
        var first = await FirstObjectAsync(await watching, timeout.Token);
        var firstOfAll = await FirstObjectAsync(await watchingAll, timeout.Token);

        Assert.Equal("77120", first.GetProperty("code").GetString());
        Assert.Equal(lease.Get("leaseId"), first.GetProperty("leaseId").GetString());
        Assert.Equal("77120", firstOfAll.GetProperty("code").GetString());
        Assert.True(firstOfAll.GetProperty("cursor").GetInt64() > 0, $"a tenant-wide watch gives each message its cursor: {firstOfAll}");
    }

    /// <summary>Reads the first line of a streaming answer: the transcoder writes one JSON object per message.</summary>
    private static async Task<JsonElement> FirstObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            var line = await reader.ReadLineAsync(cancellationToken) ?? throw new Xunit.Sdk.XunitException("the stream ended before any message");
            return JsonSerializer.Deserialize<JsonElement>(line);
        }
    }

    [Fact]
    public async Task An_operator_routes_HK_through_the_simulator_and_a_tenant_starts_and_checks_a_verification()
    {
        var route = await Admin.PutAsync("/v1/routes/js-hk", """{"connection": "sim-a", "countries": ["HK"], "cost": "0.01", "priority": 1}""");
        var table = await Admin.PutAsync("/v1/routeTables/HK", """{"primary": ["js-hk"]}""");
        await Eventually.ReturnsAsync(
            () => Admin.GetAsync("/v1/simulator/routes"),
            reply => reply.Json.GetProperty("routes").EnumerateArray().Any(r => r.GetProperty("route").GetString() == "sim-a" && r.GetProperty("boundSessions").GetInt32() > 0),
            s_wait, "sim-a bound by the silo (GET /v1/simulator/routes)");
        var tenant = await fixture.NewTenantAsync();

        var started = await tenant.PostAsync("/v1/verifications", new { to = "+85251200077", locale = "en" });
        var id = started.Get("verificationId");
        var handset = await Eventually.ReturnsAsync(
            () => Admin.GetAsync("/v1/simulator/routes/sim-a/handset"),
            reply => reply.Json.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("to").GetString() == "+852****0077"),
            s_wait, "the code's SMS at the simulated handset (GET /v1/simulator/routes/sim-a/handset)");
        var text = handset.Json.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("to").GetString() == "+852****0077").GetProperty("text").GetString()!;
        var code = OtpExtractor.Extract(text)?.Code ?? throw new Xunit.Sdk.XunitException($"no code in '{text}'");
        var wrong = await tenant.PostAsync($"/v1/verifications/{id}:check", new { code = code == "000000" ? "111111" : "000000" });
        var right = await tenant.PostAsync($"/v1/verifications/{id}:check", new { code });
        var shown = await tenant.GetAsync($"/v1/verifications/{id}");

        Assert.True(route.Status == HttpStatusCode.OK && table.Status == HttpStatusCode.OK, $"{route} {table}");
        Assert.True(started.Status == HttpStatusCode.OK, started.ToString());
        Assert.Equal(("VERIFICATION_STATUS_PENDING", "js-hk"), (started.Get("status"), started.Get("routeId")));
        Assert.DoesNotContain(code, started.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.False(wrong.Json.GetProperty("valid").GetBoolean());
        Assert.True(right.Json.GetProperty("valid").GetBoolean(), right.ToString());
        Assert.Equal("VERIFICATION_STATUS_APPROVED", shown.Get("status"));
    }

    [Fact]
    public async Task An_operator_call_with_a_tenant_key_is_403_with_a_JSON_status_naming_the_rule()
    {
        var tenant = await fixture.NewTenantAsync();

        var refused = await tenant.GetAsync("/v1/pools");
        var asHeader = await tenant.As(tenant.Key, asXApiKey: true).PostAsync("/v1/tenants", new { tenant = "not-allowed", name = "x" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(7, refused.Json.GetProperty("code").GetInt32());
        Assert.Contains("role", refused.Get("message"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, asHeader.Status);
        Assert.Equal(7, asHeader.Json.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_key_allowlist_judges_the_address_of_an_HTTP_caller_as_of_a_gRPC_one()
    {
        var loopback = await fixture.NewTenantAsync(allowedCidrs: ["127.0.0.0/8", "::1/128"]);
        var elsewhere = await fixture.NewTenantAsync(allowedCidrs: ["10.0.0.0/8"]);

        var allowed = await loopback.GetAsync("/v1/leases");
        var refused = await elsewhere.GetAsync("/v1/leases");

        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(7, refused.Json.GetProperty("code").GetInt32());
        Assert.Contains("allowlist", refused.Get("message"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_rate_limited_call_is_429_with_a_RetryInfo_detail()
    {
        var tenant = await fixture.NewTenantAsync(requestsPerSecond: 1);

        var replies = new List<JsonReply>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await tenant.GetAsync("/v1/leases"));
        }

        var limited = replies.FirstOrDefault(reply => reply.Status == HttpStatusCode.TooManyRequests)
            ?? throw new Xunit.Sdk.XunitException($"5 calls at once at 1 request per second should meet the limit: {string.Join(" | ", replies)}");
        Assert.Equal(8, limited.Json.GetProperty("code").GetInt32());
        var retry = limited.Json.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.RetryInfo");
        Assert.Matches(@"^\d+(\.\d+)?s$", retry.GetProperty("retryDelay").GetString());
    }

    [Fact]
    public async Task A_call_without_a_key_or_with_an_unknown_one_is_401_with_a_JSON_status()
    {
        var none = await Admin.As(null).GetAsync("/v1/leases");
        var unknown = await Admin.As("pool_000000000000_" + new string('x', 43), asXApiKey: true).GetAsync("/v1/leases");
        var document = await Admin.As(null).GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal(16, none.Json.GetProperty("code").GetInt32());
        Assert.Contains("API key", none.Get("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal(16, unknown.Json.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.OK, document.Status);
    }

    [Fact]
    public async Task The_gRPC_port_answers_the_JSON_routes_too_over_HTTP2()
    {
        using var http2 = new HttpClient
        {
            BaseAddress = new Uri(fixture.Pool.GrpcAddress),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        var tenant = await new JsonApiClient(http2, fixture.AdminKey).GetAsync("/v1/tenants/operators");

        Assert.True(tenant.Status == HttpStatusCode.OK, tenant.ToString());
        Assert.Equal("operators", tenant.Get("tenant"));
    }

    [Fact]
    public async Task An_invalid_argument_is_400_whose_JSON_status_carries_a_BadRequest_naming_each_field()
    {
        var refused = await Admin.PostAsync("/v1/leases", new { country = "XX", service = "telegram", ttl = "10s" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(3, refused.Json.GetProperty("code").GetInt32());
        Assert.Contains("country", refused.Get("message"), StringComparison.Ordinal);
        var detail = Assert.Single(refused.Json.GetProperty("details").EnumerateArray());
        Assert.Equal("type.googleapis.com/google.rpc.BadRequest", detail.GetProperty("@type").GetString());
        Assert.Equal(["country", "ttl"], detail.GetProperty("fieldViolations").EnumerateArray().Select(v => v.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task An_unknown_lease_is_404_and_a_lease_of_another_tenant_too()
    {
        var (pool, _) = await fixture.NewPoolAsync(1);
        var owner = await fixture.NewTenantAsync();
        var other = await fixture.NewTenantAsync();
        var lease = await owner.PostAsync("/v1/leases", new { country = "HK", pool, service = "telegram" });

        var unknown = await owner.GetAsync("/v1/leases/ls_0123456789abcdef0123456789abcdef");
        var foreign = await other.GetAsync($"/v1/leases/{lease.Get("leaseId")}");

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(5, unknown.Json.GetProperty("code").GetInt32());
        Assert.Contains("ls_0123456789abcdef0123456789abcdef", unknown.Get("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(5, foreign.Json.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_idempotency_key_in_the_JSON_body_makes_a_retry_return_the_first_answer()
    {
        var (pool, _) = await fixture.NewPoolAsync(2);
        var tenant = await fixture.NewTenantAsync();
        var key = $"retry-{Guid.NewGuid():n}";

        var first = await tenant.PostAsync("/v1/leases", new { country = "HK", pool, service = "telegram", idempotency_key = key });
        var retry = await tenant.PostAsync("/v1/leases", new { country = "HK", pool, service = "telegram", idempotencyKey = key });
        var released = await tenant.PostAsync($"/v1/leases/{first.Get("leaseId")}:release", new { outcome = "LEASE_OUTCOME_CANCELLED", idempotencyKey = key + "-r" });
        var releasedAgain = await tenant.PostAsync($"/v1/leases/{first.Get("leaseId")}:release", new { outcome = "LEASE_OUTCOME_CANCELLED", idempotencyKey = key + "-r" });
        var otherOutcome = await tenant.PostAsync($"/v1/leases/{first.Get("leaseId")}:release", new { outcome = "LEASE_OUTCOME_COMPLETED", idempotencyKey = key + "-r" });
        // One lease was made and ended: one number cooling, the other still available, none leased.
        var stats = await Eventually.ReturnsAsync(
            () => Admin.GetAsync($"/v1/pools/{pool}/stats"),
            reply => (reply.Json.GetProperty("leased").GetInt32(), reply.Json.GetProperty("cooling").GetInt32()) == (0, 1),
            s_wait, "one number cooling and none leased after one lease and its release");

        Assert.True(first.Status == HttpStatusCode.OK, first.ToString());
        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(1, stats.Json.GetProperty("available").GetInt32());
        Assert.Equal(released.Text, releasedAgain.Text);
        Assert.Equal(HttpStatusCode.Conflict, otherOutcome.Status);
        Assert.Equal(6, otherOutcome.Json.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_OpenAPI_document_is_JSON_and_lists_the_route_of_every_rpc()
    {
        using var response = await fixture.Json.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        var document = JsonSerializer.Deserialize<JsonElement>(text);
        var paths = document.GetProperty("paths");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.All(JsonApiRules.Routes, route =>
        {
            // The document names path parameters by their JSON names: {lease_id} is {leaseId}.
            var path = Regex.Replace(route.Path, @"\{(\w+)\}", match => "{" + JsonName(match.Groups[1].Value) + "}");
            Assert.True(paths.TryGetProperty(path, out var operations), $"{route.Method}: {path} should be in the OpenAPI document");
            Assert.True(operations.TryGetProperty(route.Verb.ToLowerInvariant(), out _), $"{route.Method}: {route.Verb} {path} should be in the OpenAPI document");
        });
        // The proto comments are the documentation.
        Assert.Contains("Leases an available number", paths.GetProperty("/v1/leases").GetProperty("post").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("apiKey", out _), "the document names the x-api-key scheme");
    }

    /// <summary>The proto3 JSON name of a field: lease_id is leaseId.</summary>
    private static string JsonName(string field) => Regex.Replace(field, "_([a-z0-9])", match => match.Groups[1].Value.ToUpperInvariant());
}

/// <summary>HTTP/JSON in the split deployment: the api-role process transcodes, the silo-role process serves none of it.</summary>
public sealed class JsonApiSplitTests
{
    [Fact]
    public async Task The_api_role_serves_the_JSON_routes_with_the_same_keys_and_the_silo_role_does_not()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var split = await SplitPool.StartAsync(database, $"jss-{Guid.NewGuid():n}"[..16]);
        using var apiHttp = split.Api.CreateHttpClient();
        using var siloHttp = split.Silo.CreateHttpClient();
        var api = new JsonApiClient(apiHttp, split.Api.AdminKey);

        var added = await api.PostAsync("/v1/numbers", """{"country": "HK", "numbers": ["+85270900001"]}""");
        var lease = await api.PostAsync("/v1/leases", new { country = "HK", service = "telegram" });
        var anonymous = await api.As(null).GetAsync($"/v1/leases/{lease.Get("leaseId")}");
        var openApi = await api.As(null).GetAsync("/openapi/v1.json");
        var onSilo = await new JsonApiClient(siloHttp, split.Api.AdminKey).GetAsync($"/v1/leases/{lease.Get("leaseId")}");

        Assert.True(added.Status == HttpStatusCode.OK, added.ToString());
        Assert.Equal("hk", added.Get("pool"));
        Assert.Equal("+85270900001", lease.Get("number"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.OK, openApi.Status);
        Assert.Equal(HttpStatusCode.NotFound, onSilo.Status);
        Assert.Equal("", onSilo.Text);
    }
}
