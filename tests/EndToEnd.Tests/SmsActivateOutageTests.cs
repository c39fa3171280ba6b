using System.Net;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Pool.Testing;
using Pool.V1;
using Xunit.Abstractions;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// The sms-activate endpoint served by an API-only front end (Pool:Role=api, an Orleans client of a
/// separate silo) on a private PostgreSQL: the whole activation works through it, and while PostgreSQL
/// is down every call that fails answers HTTP 503 ERROR_SQL with Retry-After (retry), never NO_NUMBERS
/// or BAD_KEY; once the server is back, activations are granted again.
/// </summary>
public sealed partial class SmsActivateOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task An_API_front_end_serves_the_protocol_and_a_database_outage_is_ERROR_SQL_503_never_NO_NUMBERS()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        var database = await TestDatabase.CreateAsync(postgres.ServerConnectionString);
        await using var split = await SplitPool.StartAsync(database, database.Name, new Dictionary<string, string?>
        {
            [$"Pool:Carriers:{SmsActivateFixture.Carrier}:Secret"] = SmsActivateFixture.Secret,
        });
        using var channel = GrpcChannel.ForAddress(split.Api.GrpcAddress);
        var admin = Authorized.With(channel, split.Api.AdminKey);
        await new Numbers.NumbersClient(admin).AddNumbersAsync(new AddNumbersRequest { Pool = "sao-hk", Country = "HK", Numbers = { Enumerable.Range(1, 30).Select(i => $"+852688000{i:D2}") } });
        var tenants = new Tenants.TenantsClient(admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = "sao", Name = "sao" });
        var key = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "sao", Role = ApiKeyRole.Tenant })).Secret;
        using var http = split.Api.CreateHttpClient();
        async Task<(HttpStatusCode Status, string Body, string? RetryAfter)> Call(string query)
        {
            using var response = await http.GetAsync(new Uri($"/stubs/handler_api.php?api_key={Uri.EscapeDataString(key)}&{query}", UriKind.Relative));
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var rented = AccessNumber().Match((await Call("action=getNumber&service=tg&country=14")).Body);
        Assert.True(rented.Success, "getNumber through the API front end should answer ACCESS_NUMBER");
        var id = rented.Groups[1].Value;
        await SmsActivateFixture.DeliverSmsAsync(split.Api, "+" + rented.Groups[2].Value, "Telegram code: 30571");
        var code = await Call($"action=getStatus&id={id}");
        var completed = await Call($"action=setStatus&status=6&id={id}");

        await postgres.StopAsync();
        var outcomes = new List<(string Call, HttpStatusCode Status, string Body, string? RetryAfter)>();
        var stoppedAt = DateTimeOffset.UtcNow;
        for (var round = 0; DateTimeOffset.UtcNow - stoppedAt < s_outage || round < 3; round++)
        {
            var number = await Call($"action=getNumber&service={(round % 2 == 0 ? "wa" : "go")}&country=14");
            outcomes.Add(("getNumber", number.Status, number.Body, number.RetryAfter));
            var status = await Call($"action=getStatus&id={id}");
            outcomes.Add(("getStatus", status.Status, status.Body, status.RetryAfter));

            // A client pauses between retries; without a pause it would meet the tenant's rate limit (50/s).
            await Task.Delay(100);
        }

        await postgres.StartAgainAsync();
        var after = await Eventually.ReturnsAsync(
            () => Call("action=getNumber&service=ig&country=14"),
            r => r.Body.StartsWith("ACCESS_NUMBER:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "an activation to be granted again once PostgreSQL is back");

        output.WriteLine(string.Join(Environment.NewLine, outcomes.GroupBy(o => $"{o.Call} {(int)o.Status} {o.Body.Split(':')[0]}").Select(g => $"{g.Key} × {g.Count()}")));
        Assert.Equal((HttpStatusCode.OK, "STATUS_OK:30571"), (code.Status, code.Body));
        Assert.Equal("ACCESS_ACTIVATION", completed.Body);
        var failures = outcomes.Where(o => o.Status != HttpStatusCode.OK).ToList();
        Assert.True(failures.Count > 0, "some calls failed while PostgreSQL was down (the fault happened)");
        Assert.True(
            failures.All(f => f is { Status: HttpStatusCode.ServiceUnavailable, Body: "ERROR_SQL", RetryAfter: "1" }),
            $"every failed call was 503 ERROR_SQL with Retry-After 1: {string.Join(", ", failures.Select(f => $"{f.Call} {(int)f.Status} {f.Body} {f.RetryAfter}"))}");
        Assert.DoesNotContain(outcomes, o => o.Body is "NO_NUMBERS" or "BAD_KEY" or "NO_ACTIVATION");
        Assert.StartsWith("ACCESS_NUMBER:", after.Body, StringComparison.Ordinal);
    }

    [GeneratedRegex("^ACCESS_NUMBER:([0-9]+):([0-9]+)$")]
    private static partial Regex AccessNumber();
}
