using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Pool.Contracts.Routes;
using Pool.Contracts.Verification;
using Pool.Carriers.Simulator;
using Pool.Sms.Otp;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// Outbound verification through the embedded carrier simulator: two simulated SMSCs, bound over SMPP
/// by the silo, as the primary and secondary routes of Hong Kong. Route health judges a 10-second
/// window and the breaker reopens after 2 seconds, so that failure and recovery fit in a test.
/// </summary>
public sealed class OutboundFailoverTests : IAsyncLifetime
{
    private const string Tenant = "verify-co";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private TestDatabase _database = null!;
    private PoolProcess _pool = null!;
    private int _numbers;

    private IGrainFactory Grains => _pool.Services.GetRequiredService<IGrainFactory>();

    private EmbeddedSimulator Carriers => _pool.Services.GetRequiredService<EmbeddedSimulator>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _pool = await PoolProcess.StartAsync(_database, $"vf-{Guid.NewGuid():n}"[..16], settings: new Dictionary<string, string?>
        {
            ["Pool:Simulator:Enabled"] = "true",
            ["Pool:Simulator:Routes:sim-a:ReceiptDelay"] = "00:00:00.100",
            ["Pool:Simulator:Routes:sim-b:ReceiptDelay"] = "00:00:00.100",
            ["Pool:Verification:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Pool:Verification:IndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Pool:Verification:MaxPerPrefixPerHour"] = "1000",
            ["Pool:Routes:Health:Window"] = "00:00:10",
            ["Pool:Routes:Health:OpenFor"] = "00:00:02",
            ["Pool:Routes:Health:RecoverAfter"] = "00:00:01",
            ["Pool:Routes:Health:HoldAfterRecovery"] = "00:00:02",
        });
        await Grains.GetGrain<ICarrierRouteGrain>("hk-a").UpsertAsync(new RouteDefinition("hk-a", "sim-a", ["HK"], [], 0.01m, 1));
        await Grains.GetGrain<ICarrierRouteGrain>("hk-b").UpsertAsync(new RouteDefinition("hk-b", "sim-b", ["HK"], [], 0.02m, 1));
        await Grains.GetGrain<IRouteTableGrain>("HK").SetAsync(["hk-a"], ["hk-b"]);
        await Eventually.ReturnsAsync(
            () => Task.FromResult(Carriers.Routes.Count(r => r.BoundSessions > 0)), bound => bound == 2, s_wait, "both simulated SMSCs bound by the silo");
    }

    public async Task DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<VerificationInfo> StartAsync()
    {
        var to = $"+852512{Interlocked.Increment(ref _numbers):D2}001";
        return await Grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom()).StartAsync(new VerificationRequest(Tenant, to));
    }

    private void SetFaults(string route, double errorRate = 0, bool outage = false) =>
        Carriers.SetFaults(route, new Contracts.Simulator.SimulatedFaults(TimeSpan.Zero, errorRate, 0, outage, 0));

    private Task<PoolCtlRun> PoolCtlAsync(string key, params string[] args) => PoolCtlRunner.RunOnAsync(_pool, key, args);

    [Fact]
    public async Task Operators_define_routes_with_poolctl_and_a_tenant_verifies_a_number_through_them()
    {
        var admin = _pool.AdminKey;
        var setRoute = await PoolCtlAsync(admin, "routes", "set", "es-main", "--connection", "sim-b", "--country", "ES", "--cost", "0.004");
        var setTable = await PoolCtlAsync(admin, "routes", "table", "ES", "--primary", "es-main");
        var explain = await PoolCtlAsync(admin, "routes", "explain", "+34612345678");
        await PoolCtlAsync(admin, "tenants", "create", "shop", "--name", "Shop");
        var created = await PoolCtlAsync(admin, "--json", "keys", "create", "shop");
        var key = System.Text.Json.JsonDocument.Parse(created.Out).RootElement.GetProperty("secret").GetString()!;

        var started = await PoolCtlAsync(key, "--json", "verify", "start", "--to", "+34612345678", "--locale", "es");
        Assert.True(started.Exit == 0, $"{started} {created} {setRoute} {setTable} {explain}");
        var id = System.Text.Json.JsonDocument.Parse(started.Out).RootElement.GetProperty("verificationId").GetString()!;
        // The operator reads the code at the simulated handset, as in a demo (parts newest first).
        var handset = await Eventually.ReturnsAsync(
            () => PoolCtlAsync(admin, "--json", "sim", "handset", "sim-b"),
            run => run.JsonLines.Count > 0 && run.JsonLines.Count == (Carriers.SubmissionsOf("sim-b") is [var first, ..] ? first.Concatenation?.Total ?? 1 : 1),
            s_wait, "every part of the code's SMS at the simulated handset");
        var code = OtpExtractor.Extract(string.Concat(handset.JsonLines.Reverse().Select(line => line.GetProperty("text").GetString())))?.Code;
        var wrong = await PoolCtlAsync(key, "verify", "check", id, code == "000000" ? "111111" : "000000");
        var right = await PoolCtlAsync(key, "verify", "check", id, code!);
        var shown = await PoolCtlAsync(key, "verify", "show", id);

        Assert.True(setRoute.Exit == 0 && setTable.Exit == 0, $"{setRoute} {setTable}");
        Assert.Contains("es-main", explain.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("34612345678", explain.Out, StringComparison.Ordinal);
        Assert.True(started.Exit == 0, started.ToString());
        Assert.DoesNotContain(code!, started.Out, StringComparison.Ordinal);
        Assert.Equal(1, wrong.Exit);
        Assert.Equal(0, right.Exit);
        Assert.Matches(@"status\s*│\s*approved", shown.Out);
        Assert.All(handset.JsonLines, line => Assert.Equal("+34****5678", line.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task A_code_goes_out_through_the_simulated_HTTP_carrier_whose_receipt_marks_it_delivered_and_an_outage_there_moves_traffic_to_SMPP()
    {
        await Grains.GetGrain<ICarrierRouteGrain>("gb-h").UpsertAsync(new RouteDefinition("gb-h", "sim-http", ["GB"], [], 0.003m, 1));
        await Grains.GetGrain<ICarrierRouteGrain>("gb-a").UpsertAsync(new RouteDefinition("gb-a", "sim-a", ["GB"], [], 0.004m, 1));
        await Grains.GetGrain<IRouteTableGrain>("GB").SetAsync(["gb-h"], ["gb-a"]);

        var first = await Grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom()).StartAsync(new VerificationRequest(Tenant, "+447400123456"));
        var delivered = await Eventually.ReturnsAsync(
            () => Grains.GetGrain<IVerificationGrain>(first.VerificationId).GetAsync(Tenant), v => v.Delivery == VerificationDelivery.Delivered, s_wait, "the HTTP carrier's receipt");
        var code = OtpExtractor.Extract(Assert.Single(Carriers.SubmissionsOf("sim-http")).Text)?.Code;
        var check = await Grains.GetGrain<IVerificationGrain>(first.VerificationId).CheckAsync(Tenant, code!);

        SetFaults("sim-http", outage: true);
        var during = new List<VerificationInfo>();
        for (var i = 0; i < 3; i++)
        {
            during.Add(await Grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom()).StartAsync(new VerificationRequest(Tenant, $"+4474001235{i:D2}")));
        }

        Assert.Equal("gb-h", first.RouteId);
        Assert.Equal(VerificationDelivery.Delivered, delivered.Delivery);
        Assert.True(check.Valid);
        Assert.All(during, v => Assert.Equal(("gb-a", VerificationStatus.Pending), (v.RouteId, v.Status)));
    }

    [Fact]
    public async Task With_both_lists_down_a_start_fails_fast_as_unavailable_and_the_alert_metric_counts_it()
    {
        SetFaults("sim-a", outage: true);
        SetFaults("sim-b", outage: true);
        await Eventually.ReturnsAsync(
            () => Task.FromResult(Carriers.Routes.Sum(r => r.BoundSessions)), bound => bound == 0, s_wait, "both simulated SMSCs down");

        var refusals = new List<Contracts.Errors.PoolException>();
        for (var i = 0; i < 8; i++)
        {
            refusals.Add(await Assert.ThrowsAsync<Contracts.Errors.PoolException>(StartAsync));
        }

        using var http = _pool.CreateHttpClient();
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.All(refusals, r => Assert.Equal(Contracts.Errors.PoolErrorCode.Unavailable, r.Code));
        Assert.Empty(Carriers.SubmissionsOf("sim-a"));
        Assert.Empty(Carriers.SubmissionsOf("sim-b"));
        Assert.Matches(@"pool_routes_unavailable_total\{[^}]*country=""HK""[^}]*\} [1-9]", metrics);
    }

    [Fact]
    public async Task A_code_goes_out_on_the_primary_fails_over_to_the_secondary_without_a_failed_request_and_returns_when_the_primary_recovers()
    {
        // Healthy: the code reaches the handset through the primary, and checks.
        var first = await StartAsync();
        var delivered = await Eventually.ReturnsAsync(
            () => Grains.GetGrain<IVerificationGrain>(first.VerificationId).GetAsync(Tenant), v => v.Delivery == VerificationDelivery.Delivered, s_wait, "the primary's delivery receipt");
        var sms = Assert.Single(Carriers.SubmissionsOf("sim-a"));
        var code = OtpExtractor.Extract(sms.Text)?.Code;
        var check = await Grains.GetGrain<IVerificationGrain>(first.VerificationId).CheckAsync(Tenant, code!);

        Assert.Equal("hk-a", first.RouteId);
        Assert.Equal(VerificationStatus.Approved, check.Verification.Status);
        Assert.Equal(first.VerificationId, delivered.VerificationId);

        // The primary fails every submit, then goes down altogether: no request fails, the breaker
        // stops sending to the primary after its threshold, and the secondary takes the traffic.
        SetFaults("sim-a", errorRate: 1);
        var duringErrors = new List<VerificationInfo>();
        for (var i = 0; i < 8; i++)
        {
            duringErrors.Add(await StartAsync());
        }

        var afterErrors = (await Grains.GetGrain<ICarrierRouteGrain>("hk-a").GetAsync()).Health;
        SetFaults("sim-a", outage: true);
        var duringOutage = new List<VerificationInfo>();
        for (var i = 0; i < 4; i++)
        {
            duringOutage.Add(await StartAsync());
        }

        var afterOutage = (await Grains.GetGrain<ICarrierRouteGrain>("hk-a").GetAsync()).Health;
        Assert.All(duringErrors.Concat(duringOutage), v => Assert.Equal(VerificationStatus.Pending, v.Status));
        Assert.All(duringErrors.Concat(duringOutage), v => Assert.Equal("hk-b", v.RouteId));
        Assert.InRange(afterErrors.Errors, 1, 5); // The primary was tried at most the breaker's threshold of times.
        Assert.Equal(CircuitState.Open, afterErrors.Circuit);
        Assert.InRange(afterOutage.Errors + afterOutage.Timeouts, afterErrors.Errors, afterErrors.Errors + 2); // At most the half-open probes since.
        Assert.Single(Carriers.SubmissionsOf("sim-a")); // Only the first, healthy code was accepted by the primary.
        Assert.Equal(12, Carriers.SubmissionsOf("sim-b").Count);

        // The primary recovers: after the cool-off, probes succeed, and after the hold all traffic is back on it.
        SetFaults("sim-a");
        var back = await Eventually.ReturnsAsync(
            async () =>
            {
                var recent = new List<VerificationInfo>();
                for (var i = 0; i < 3; i++)
                {
                    recent.Add(await StartAsync());
                }

                await Task.Delay(TimeSpan.FromMilliseconds(300));
                return recent;
            },
            recent => recent.All(v => v.RouteId == "hk-a"),
            s_wait,
            "three verifications in a row through the recovered primary");

        Assert.All(back, v => Assert.Equal(VerificationStatus.Pending, v.Status));
    }
}
