using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pool.Carriers.Http;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// A Pool with one HTTP carrier (to deliver SMS to leased numbers) and sms-activate mapping overrides:
/// service code "zz" added (Pool service "zed"), "vk" removed.
/// </summary>
public sealed class SmsActivateFixture() : HostFixture("sa")
{
    public const string Carrier = "sim";
    public const string Secret = "test-carrier-secret-0123456789abcdef";

    private static int s_numbers;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"Pool:Carriers:{Carrier}:Secret"] = Secret,
        ["Pool:SmsActivate:Services:zz"] = "zed",
        ["Pool:SmsActivate:Services:vk"] = "",
    };

    /// <summary>Adds <paramref name="count"/> new Hong Kong numbers (country id 14) in a pool of their own.</summary>
    public async Task<string[]> AddHongKongNumbersAsync(int count)
    {
        var first = Interlocked.Add(ref s_numbers, count) - count;
        var numbers = Enumerable.Range(first, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"+852651{i:D5}")).ToArray();
        await new Numbers.NumbersClient(Admin).AddNumbersAsync(new AddNumbersRequest { Pool = $"sa-{Guid.NewGuid():n}"[..20], Country = "HK", Numbers = { numbers } });
        return numbers;
    }

    /// <summary>A new tenant with a tenant key and a tenant-readonly key.</summary>
    public async Task<(string Tenant, string Key, string ReadonlyKey)> NewTenantAsync()
    {
        var tenant = $"sa-{Guid.NewGuid():n}"[..20];
        var tenants = new Tenants.TenantsClient(Admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        var key = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Role = ApiKeyRole.Tenant })).Secret;
        var readOnly = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Role = ApiKeyRole.TenantReadonly })).Secret;
        return (tenant, key, readOnly);
    }

    /// <summary>A key of a new tenant that may only be used from 10.0.0.0/8 (the tests call from 127.0.0.1).</summary>
    public async Task<string> AllowlistedElsewhereKeyAsync()
    {
        var tenant = $"sa-{Guid.NewGuid():n}"[..20];
        var tenants = new Tenants.TenantsClient(Admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = tenant, Name = tenant });
        return (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = tenant, Role = ApiKeyRole.Tenant, AllowedCidrs = { "10.0.0.0/8" } })).Secret;
    }

    /// <summary>GET /stubs/handler_api.php with these query parameters: (HTTP status, body).</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(params (string Name, string Value)[] parameters)
    {
        using var http = Pool.CreateHttpClient();
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));
        var response = await http.GetAsync(new Uri($"/stubs/handler_api.php?{query}", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>POST /stubs/handler_api.php with these parameters as an application/x-www-form-urlencoded body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostFormAsync(params (string Name, string Value)[] parameters)
    {
        using var http = Pool.CreateHttpClient();
        using var form = new FormUrlEncodedContent(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));
        var response = await http.PostAsync(new Uri("/stubs/handler_api.php", UriKind.Relative), form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The HTTP carrier hands Pool an SMS for <paramref name="to"/> (E.164), signed as carriers sign.</summary>
    public Task DeliverSmsAsync(string to, string text) => DeliverSmsAsync(Pool, to, text);

    /// <summary>The HTTP carrier <see cref="Carrier"/> (with <see cref="Secret"/>) hands <paramref name="pool"/> an SMS for <paramref name="to"/>.</summary>
    public static async Task DeliverSmsAsync(PoolProcess pool, string to, string text)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["message_id"] = $"sa-{Guid.NewGuid():n}",
            ["from"] = "Telegram",
            ["to"] = to,
            ["text"] = text,
            ["encoding"] = "text",
        });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var http = pool.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/carriers/{Carrier}/messages", UriKind.Relative)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(CarrierSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(CarrierSignature.SignatureHeader, CarrierSignature.Sign(Secret, timestamp, bytes));
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"the carrier's SMS should be accepted and delivered, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>The sms-activate handler_api protocol driven over HTTP as its clients drive it, against a real Pool.</summary>
public sealed partial class SmsActivateTests(SmsActivateFixture fixture) : IClassFixture<SmsActivateFixture>
{
    private Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Get(params (string, string)[] parameters) => fixture.GetAsync(parameters);

    /// <summary>getNumber for Hong Kong (14): the activation id and the number's digits, after checking the answer's shape.</summary>
    private async Task<(string Id, string Digits)> GetNumberAsync(string key, string service = "tg")
    {
        var (status, body, _) = await Get(("api_key", key), ("action", "getNumber"), ("service", service), ("country", "14"));
        Assert.Equal(HttpStatusCode.OK, status);
        var match = AccessNumber().Match(body);
        Assert.True(match.Success, $"getNumber should answer ACCESS_NUMBER:<id>:<digits>, got '{body}'");
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    private async Task<string> StatusAsync(string key, string id) => (await Get(("api_key", key), ("action", "getStatus"), ("id", id))).Body;

    private async Task<string> SetStatusAsync(string key, string id, int status) =>
        (await Get(("api_key", key), ("action", "setStatus"), ("id", id), ("status", status.ToString(CultureInfo.InvariantCulture)))).Body;

    [Fact]
    public async Task GetNumber_answers_ACCESS_NUMBER_with_a_numeric_id_and_the_leased_numbers_digits_without_plus()
    {
        await fixture.AddHongKongNumbersAsync(2);
        var (_, key, _) = await fixture.NewTenantAsync();

        var (id, digits) = await GetNumberAsync(key);
        var (secondId, _) = await GetNumberAsync(key);

        Assert.True(long.Parse(id, CultureInfo.InvariantCulture) > 0, "the activation id is a positive integer");
        Assert.NotEqual(id, secondId);
        Assert.Matches("^852[0-9]{8}$", digits);
        Assert.Equal("STATUS_WAIT_CODE", await StatusAsync(key, id));
    }

    [Fact]
    public async Task The_whole_activation_gets_the_code_of_the_SMS_sent_to_the_number_and_completes()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();
        var (id, digits) = await GetNumberAsync(key);

        var ready = await SetStatusAsync(key, id, 1);
        var waiting = await StatusAsync(key, id);
        await fixture.DeliverSmsAsync("+" + digits, "Telegram code: 48213. Do not give this code to anyone.");
        var received = await StatusAsync(key, id);
        var completed = await SetStatusAsync(key, id, 6);
        var after = await StatusAsync(key, id);
        var completedAgain = await SetStatusAsync(key, id, 6);
        var cancelAfterCompletion = await SetStatusAsync(key, id, 8);

        Assert.Equal("ACCESS_READY", ready);
        Assert.Equal("STATUS_WAIT_CODE", waiting);
        Assert.Equal("STATUS_OK:48213", received);
        Assert.Equal("ACCESS_ACTIVATION", completed);
        Assert.Equal("STATUS_OK:48213", after);
        Assert.Equal("ACCESS_ACTIVATION", completedAgain);
        Assert.Equal("BAD_STATUS", cancelAfterCompletion);
    }

    [Fact]
    public async Task Another_SMS_waits_with_the_previous_code_then_answers_the_new_one()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();
        var (id, digits) = await GetNumberAsync(key);

        var beforeAnyCode = await SetStatusAsync(key, id, 3);
        await fixture.DeliverSmsAsync("+" + digits, "Telegram code: 11223");
        var first = await StatusAsync(key, id);
        var retry = await SetStatusAsync(key, id, 3);
        var waiting = await StatusAsync(key, id);
        await fixture.DeliverSmsAsync("+" + digits, "Telegram code: 44556");
        var second = await StatusAsync(key, id);

        Assert.Equal("BAD_STATUS", beforeAnyCode);
        Assert.Equal("STATUS_OK:11223", first);
        Assert.Equal("ACCESS_RETRY_GET", retry);
        Assert.Equal("STATUS_WAIT_RETRY:11223", waiting);
        Assert.Equal("STATUS_OK:44556", second);
    }

    [Fact]
    public async Task Cancel_ends_the_activation_and_it_cannot_be_completed_afterwards()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();
        var (id, _) = await GetNumberAsync(key);

        var cancelled = await SetStatusAsync(key, id, 8);
        var status = await StatusAsync(key, id);
        var again = await SetStatusAsync(key, id, 8);
        var complete = await SetStatusAsync(key, id, 6);
        var ready = await SetStatusAsync(key, id, 1);

        Assert.Equal("ACCESS_CANCEL", cancelled);
        Assert.Equal("STATUS_CANCEL", status);
        Assert.Equal("ACCESS_CANCEL", again);
        Assert.Equal("BAD_STATUS", complete);
        Assert.Equal("BAD_STATUS", ready);
    }

    [Fact]
    public async Task GetNumberV2_answers_the_documented_JSON_fields()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();

        var (status, body, response) = await Get(("api_key", key), ("action", "getNumberV2"), ("service", "wa"), ("country", "14"), ("operator", "any"), ("maxPrice", "12.5"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonSerializer.Deserialize<JsonElement>(body);
        var id = json.GetProperty("activationId").GetInt64();
        Assert.True(id > 0);
        Assert.Matches("^852[0-9]{8}$", json.GetProperty("phoneNumber").GetString());
        Assert.Equal(0m, json.GetProperty("activationCost").GetDecimal());
        Assert.Equal("14", json.GetProperty("countryCode").GetString());
        Assert.True(json.GetProperty("canGetAnotherSms").GetBoolean());
        var time = DateTime.ParseExact(json.GetProperty("activationTime").GetString()!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.InRange(time, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("any", json.GetProperty("activationOperator").GetString());
        Assert.Equal("STATUS_WAIT_CODE", await StatusAsync(key, id.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_missing_malformed_unknown_or_allowlisted_elsewhere_key_is_BAD_KEY()
    {
        var elsewhere = await fixture.AllowlistedElsewhereKeyAsync();

        var missing = await Get(("action", "getBalance"));
        var empty = await Get(("api_key", ""), ("action", "getBalance"));
        var malformed = await Get(("api_key", "not-a-key"), ("action", "getNumber"), ("service", "tg"));
        var unknown = await Get(("api_key", "pool_000000000000_not-a-real-key"), ("action", "getBalance"));
        var allowlist = await Get(("api_key", elsewhere), ("action", "getBalance"));

        foreach (var (status, body, _) in new[] { missing, empty, malformed, unknown, allowlist })
        {
            Assert.Equal((HttpStatusCode.OK, "BAD_KEY"), (status, body));
        }
    }

    [Fact]
    public async Task A_read_only_key_reads_the_status_but_may_not_rent_or_change_an_activation()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, readOnly) = await fixture.NewTenantAsync();
        var (id, _) = await GetNumberAsync(key);

        var rent = await Get(("api_key", readOnly), ("action", "getNumber"), ("service", "tg"), ("country", "14"));
        var cancel = await SetStatusAsync(readOnly, id, 8);
        var status = await StatusAsync(readOnly, id);
        var balance = await Get(("api_key", readOnly), ("action", "getBalance"));

        Assert.Equal("BAD_KEY", rent.Body);
        Assert.Equal("BAD_KEY", cancel);
        Assert.Equal("STATUS_WAIT_CODE", status);
        Assert.Equal("ACCESS_BALANCE:0.00", balance.Body);
        Assert.Equal("STATUS_WAIT_CODE", await StatusAsync(key, id));
    }

    [Fact]
    public async Task A_refused_key_of_an_existing_tenant_is_audited_naming_the_action()
    {
        var (_, _, readOnly) = await fixture.NewTenantAsync();
        var keyId = string.Join('_', readOnly.Split('_').Take(2));

        var rent = await Get(("api_key", readOnly), ("action", "getNumber"), ("service", "tg"), ("country", "14"));
        var row = await Eventually.ReturnsAsync(
            async () =>
            {
                await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand("SELECT role, target, outcome FROM audit WHERE action = 'auth.refused' AND key_id = $1", connection);
                command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = keyId });
                await using var reader = await command.ExecuteReaderAsync();
                return await reader.ReadAsync() ? (Role: reader.GetString(0), Target: reader.GetString(1), Outcome: reader.GetString(2)) : default;
            },
            r => r.Target is not null,
            TimeSpan.FromSeconds(20),
            $"the auth.refused audit row of key {keyId}");

        Assert.Equal("BAD_KEY", rent.Body);
        Assert.Equal(("tenant-readonly", "sms-activate/getNumber"), (row.Role, row.Target));
        Assert.StartsWith("refused: role tenant-readonly may not call pool.v1.Leases/CreateLease", row.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_or_missing_action_is_BAD_ACTION()
    {
        var (_, key, _) = await fixture.NewTenantAsync();

        var unknown = await Get(("api_key", key), ("action", "getRentNumber"));
        var missing = await Get(("api_key", key));

        Assert.Equal((HttpStatusCode.OK, "BAD_ACTION"), (unknown.Status, unknown.Body));
        Assert.Equal((HttpStatusCode.OK, "BAD_ACTION"), (missing.Status, missing.Body));
    }

    [Fact]
    public async Task An_unknown_or_removed_service_is_BAD_SERVICE_and_an_unknown_country_BAD_COUNTRY()
    {
        var (_, key, _) = await fixture.NewTenantAsync();

        var unknownService = await Get(("api_key", key), ("action", "getNumber"), ("service", "nosuch"), ("country", "14"));
        var noService = await Get(("api_key", key), ("action", "getNumber"), ("country", "14"));
        var removed = await Get(("api_key", key), ("action", "getNumber"), ("service", "vk"), ("country", "14"));
        var unknownCountry = await Get(("api_key", key), ("action", "getNumber"), ("service", "tg"), ("country", "999"));
        var notACountry = await Get(("api_key", key), ("action", "getNumber"), ("service", "tg"), ("country", "hk"));

        Assert.Equal("BAD_SERVICE", unknownService.Body);
        Assert.Equal("BAD_SERVICE", noService.Body);
        Assert.Equal("BAD_SERVICE", removed.Body);
        Assert.Equal("BAD_COUNTRY", unknownCountry.Body);
        Assert.Equal("BAD_COUNTRY", notACountry.Body);
    }

    [Fact]
    public async Task A_configured_service_code_rents_for_its_Pool_service()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();

        var (id, digits) = await GetNumberAsync(key, service: "zz");

        // Listings read the leases table, which follows the lease grains within moments.
        var leases = await Eventually.ReturnsAsync(
            async () => await new Leases.LeasesClient(fixture.As(key)).ListLeasesAsync(new ListLeasesRequest { ActiveOnly = true }),
            reply => reply.Leases.Count > 0,
            TimeSpan.FromSeconds(20),
            "the lease in ListLeases");
        var lease = Assert.Single(leases.Leases);
        Assert.Equal(("zed", "+" + digits), (lease.Service, lease.Number));
        Assert.Equal("STATUS_WAIT_CODE", await StatusAsync(key, id));
    }

    [Fact]
    public async Task A_country_without_numbers_or_all_numbers_excluded_is_NO_NUMBERS()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();

        var noPool = await Get(("api_key", key), ("action", "getNumber"), ("service", "tg"), ("country", "16"));
        var excluded = await Get(("api_key", key), ("action", "getNumber"), ("service", "tg"), ("country", "14"), ("phoneException", "852"));
        var badException = await Get(("api_key", key), ("action", "getNumber"), ("service", "tg"), ("country", "14"), ("phoneException", "+852"));
        var badPrice = await Get(("api_key", key), ("action", "getNumber"), ("service", "tg"), ("country", "14"), ("maxPrice", "-1"));

        Assert.Equal((HttpStatusCode.OK, "NO_NUMBERS"), (noPool.Status, noPool.Body));
        Assert.Equal("NO_NUMBERS", excluded.Body);
        Assert.Equal("WRONG_EXCEPTION_PHONE", badException.Body);
        Assert.Equal("WRONG_MAX_PRICE:0.00", badPrice.Body);
    }

    [Fact]
    public async Task Another_tenants_activation_id_or_a_bad_id_is_NO_ACTIVATION()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, owner, _) = await fixture.NewTenantAsync();
        var (_, other, _) = await fixture.NewTenantAsync();
        var (id, _) = await GetNumberAsync(owner);

        var status = await StatusAsync(other, id);
        var cancel = await SetStatusAsync(other, id, 8);
        var garbage = await StatusAsync(owner, "ls_0123");
        var missing = await Get(("api_key", owner), ("action", "getStatus"));
        var badStatus = await SetStatusAsync(owner, id, 5);

        Assert.Equal("NO_ACTIVATION", status);
        Assert.Equal("NO_ACTIVATION", cancel);
        Assert.Equal("NO_ACTIVATION", garbage);
        Assert.Equal("NO_ACTIVATION", missing.Body);
        Assert.Equal("BAD_STATUS", badStatus);
        Assert.Equal("STATUS_WAIT_CODE", await StatusAsync(owner, id));
    }

    [Fact]
    public async Task A_POST_with_a_form_body_works_like_a_GET()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();

        var rented = await fixture.PostFormAsync(("api_key", key), ("action", "getNumber"), ("service", "tg"), ("country", "14"));
        var match = AccessNumber().Match(rented.Body);
        Assert.True(match.Success, $"a POSTed getNumber should answer ACCESS_NUMBER, got '{rented.Body}'");
        var status = await fixture.PostFormAsync(("api_key", key), ("action", "getStatus"), ("id", match.Groups[1].Value));
        var cancelled = await fixture.PostFormAsync(("api_key", key), ("action", "setStatus"), ("id", match.Groups[1].Value), ("status", "8"));

        Assert.Equal((HttpStatusCode.OK, "STATUS_WAIT_CODE"), status);
        Assert.Equal((HttpStatusCode.OK, "ACCESS_CANCEL"), cancelled);
    }

    [Fact]
    public async Task Balance_services_and_countries_answer_as_documented()
    {
        await fixture.AddHongKongNumbersAsync(1);
        var (_, key, _) = await fixture.NewTenantAsync();

        var balance = await Get(("api_key", key), ("action", "getBalance"));
        var services = JsonSerializer.Deserialize<JsonElement>((await Get(("api_key", key), ("action", "getServicesList"))).Body);
        var countries = JsonSerializer.Deserialize<JsonElement>((await Get(("api_key", key), ("action", "getCountries"))).Body);

        Assert.Equal("ACCESS_BALANCE:0.00", balance.Body);
        Assert.Equal("success", services.GetProperty("status").GetString());
        var codes = services.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("code").GetString()!, s => s.GetProperty("name").GetString());
        Assert.Equal("Telegram", codes["tg"]);
        Assert.Equal("zed", codes["zz"]);
        Assert.DoesNotContain("vk", codes.Keys);
        var hongKong = countries.GetProperty("14");
        Assert.Equal(14, hongKong.GetProperty("id").GetInt32());
        Assert.Equal("Hong Kong", hongKong.GetProperty("eng").GetString());
        Assert.Equal(1, hongKong.GetProperty("visible").GetInt32());
        Assert.Equal(0, countries.GetProperty("16").GetProperty("visible").GetInt32());
        Assert.Equal(187, countries.GetProperty("187").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task GetNumbersStatus_counts_the_available_numbers_of_the_country_per_service_code()
    {
        var macau = new[] { "+85366100001", "+85366100002", "+85366100003" };
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = $"sa-mo-{Guid.NewGuid():n}"[..20], Country = "MO", Numbers = { macau } });
        var (_, key, _) = await fixture.NewTenantAsync();

        // The counts come from the inventory projection, which follows the numbers within moments.
        JsonElement counts = default;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            counts = JsonSerializer.Deserialize<JsonElement>((await Get(("api_key", key), ("action", "getNumbersStatus"), ("country", "20"))).Body);
            if (counts.GetProperty("tg_0").GetInt32() == 3)
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(3, counts.GetProperty("tg_0").GetInt32());
        Assert.Equal(3, counts.GetProperty("wa_0").GetInt32());
        Assert.Equal(0, JsonSerializer.Deserialize<JsonElement>((await Get(("api_key", key), ("action", "getNumbersStatus"), ("country", "16"))).Body).GetProperty("tg_0").GetInt32());
        Assert.Equal("BAD_COUNTRY", (await Get(("api_key", key), ("action", "getNumbersStatus"), ("country", "999"))).Body);
    }

    [Fact]
    public async Task GetActiveActivations_lists_the_tenants_live_activations_with_their_codes()
    {
        await fixture.AddHongKongNumbersAsync(2);
        var (_, key, _) = await fixture.NewTenantAsync();
        var none = JsonSerializer.Deserialize<JsonElement>((await Get(("api_key", key), ("action", "getActiveActivations"))).Body);
        var (id, digits) = await GetNumberAsync(key);
        var (cancelledId, _) = await GetNumberAsync(key);
        await SetStatusAsync(key, cancelledId, 8);
        await fixture.DeliverSmsAsync("+" + digits, "Telegram code: 90817");

        // The listing reads the leases table, which follows the lease grains within moments.
        var listed = await Eventually.ReturnsAsync(
            async () => JsonSerializer.Deserialize<JsonElement>((await Get(("api_key", key), ("action", "getActiveActivations"))).Body),
            reply => reply.TryGetProperty("activeActivations", out var active) && active.GetArrayLength() == 1
                && active[0].TryGetProperty("smsCode", out var codes) && codes.ValueKind == JsonValueKind.Array && codes.GetArrayLength() > 0,
            TimeSpan.FromSeconds(20),
            "the one live activation with its code in getActiveActivations");

        Assert.Equal(("error", "NO_ACTIVATIONS"), (none.GetProperty("status").GetString(), none.GetProperty("error").GetString()));
        Assert.Equal("success", listed.GetProperty("status").GetString());
        var activation = Assert.Single(listed.GetProperty("activeActivations").EnumerateArray());
        Assert.Equal(id, activation.GetProperty("activationId").GetString());
        Assert.Equal(digits, activation.GetProperty("phoneNumber").GetString());
        Assert.Equal("tg", activation.GetProperty("serviceCode").GetString());
        Assert.Equal("14", activation.GetProperty("countryCode").GetString());
        Assert.Equal(["90817"], activation.GetProperty("smsCode").EnumerateArray().Select(c => c.GetString()));
    }

    [GeneratedRegex("^ACCESS_NUMBER:([0-9]+):([0-9]+)$")]
    private static partial Regex AccessNumber();
}
