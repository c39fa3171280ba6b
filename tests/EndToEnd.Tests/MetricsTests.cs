using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Grpc.Core;
using Pool.Cli;
using Pool.Testing;
using Pool.V1;
using Xunit.Abstractions;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// A Pool with the embedded carrier simulator (two SMPP binds), verification keys and a Hong Kong
/// route, as an operator watches it: through /metrics and `poolctl status`.
/// </summary>
public sealed class ObservedPoolFixture() : HostFixture("ob")
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Pool:Simulator:Enabled"] = "true",
        ["Pool:Verification:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Pool:Verification:IndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Eventually.ReturnsAsync(
            async () => (await new Simulator.SimulatorClient(Admin).ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest())).Routes.Count(r => r.BoundSessions > 0),
            bound => bound == 2, TimeSpan.FromSeconds(60), "the silo bound to both simulated SMSCs");
        var routes = new Routes.RoutesClient(Admin);
        await routes.UpsertRouteAsync(new UpsertRouteRequest { RouteId = "hk-sim", Connection = "sim-a", Countries = { "HK" } });
        await routes.SetRouteTableAsync(new SetRouteTableRequest { Country = "HK", Primary = { "hk-sim" } });
    }

    public Task<PoolCtlRun> PoolCtlAsync(params string[] args) => PoolCtlRunner.RunOnAsync(Pool, Pool.AdminKey, args);

    /// <summary>The Prometheus text at /metrics.</summary>
    public async Task<string> ScrapeAsync()
    {
        using var http = Pool.CreateHttpClient();
        return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    private static int s_pools;

    /// <summary>A unique pool name and <paramref name="count"/> valid Hong Kong numbers nobody else uses.</summary>
    public static (string Pool, string[] Numbers) NewPool(int count)
    {
        var block = Interlocked.Increment(ref s_pools);
        return ($"ob-{block}-{Guid.NewGuid():n}"[..16], [.. Enumerable.Range(0, count).Select(i => $"+8526{block % 100:D2}{70 + i:D5}")]);
    }
}

/// <summary>The metrics and status test classes share one observed Pool, one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ObservedPoolGroup : ICollectionFixture<ObservedPoolFixture>
{
    public const string Name = "observed pool";
}

/// <summary>
/// Pool's own metrics at /metrics after real traffic through the API and the simulator: each
/// instrument under its exported Prometheus name with sane values, and no full phone number in any label.
/// </summary>
[Collection(ObservedPoolGroup.Name)]
public sealed partial class MetricsTests(ObservedPoolFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    /// <summary>The number a verification is sent to.</summary>
    private const string To = "+85291239876";

    [Fact]
    public async Task Leases_messages_webhooks_verifications_and_binds_show_in_metrics_under_their_exported_names_without_phone_numbers()
    {
        var (pool, numbers) = ObservedPoolFixture.NewPool(4);
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        await using var receiver = await WebhookReceiver.StartAsync();
        await new Webhooks.WebhooksClient(fixture.Admin).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = receiver.Url });
        var leases = new Leases.LeasesClient(fixture.Admin);
        var kept = await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        var released = await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        await leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = released.LeaseId, Outcome = LeaseOutcome.Completed });

        using var watch = leases.WatchMessages(new WatchMessagesRequest { LeaseId = kept.LeaseId });
        var first = watch.ResponseStream.MoveNext(CancellationToken.None);
        await new Simulator.SimulatorClient(fixture.Admin).SendSimulatedMessageAsync(
            new SendSimulatedMessageRequest { Route = "sim-a", From = "Telegram", To = kept.Number, Text = "Telegram code: 61528. Do not give this code to anyone." });
        Assert.True(await first.WaitAsync(s_wait), "the SMS on the lease's stream");

        // The first SMS may have been stored before the server opened the stream (a replay, not
        // measured); the second is surely sent to an open stream.
        await new Simulator.SimulatorClient(fixture.Admin).SendSimulatedMessageAsync(
            new SendSimulatedMessageRequest { Route = "sim-a", From = "Telegram", To = kept.Number, Text = "Telegram code: 70394. Do not give this code to anyone." });
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(s_wait), "the second SMS on the lease's stream");
        await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1, s_wait, "the webhook of the SMS accepted");

        var verification = new Verification.VerificationClient(fixture.Admin);
        var started = await verification.StartVerificationAsync(new StartVerificationRequest { To = To });
        await verification.CancelVerificationAsync(new CancelVerificationRequest { VerificationId = started.VerificationId });

        // The database gauges refresh every 15 s: the new pool shows at the next refresh.
        var text = await Eventually.ReturnsAsync(
            fixture.ScrapeAsync,
            scraped => Value(scraped, "pool_leases_active", $"pool=\"{pool}\"") == 1 && Value(scraped, "pool_numbers", $"pool=\"{pool}\"") == 4
                && Value(scraped, "pool_webhooks_delivery_latency_seconds_count") is >= 1,
            s_wait, $"the gauges of pool {pool} (one lease active, four numbers) and the webhook latency at /metrics");
        output.WriteLine(string.Join('\n', text.Split('\n').Where(line => line.StartsWith("pool_", StringComparison.Ordinal))));

        Assert.True(Value(text, "pool_leases_started_total", $"pool=\"{pool}\"", "country=\"HK\"") >= 2, "leases started counted by pool and country");
        Assert.True(Value(text, "pool_leases_ended_total", $"pool=\"{pool}\"", "outcome=\"completed\"") >= 1, "the completed lease counted by outcome");
        Assert.Equal(1, Value(text, "pool_leases_active", $"pool=\"{pool}\""));
        // The released number cools down (the pool's cooldown) before it is available again.
        Assert.Equal(3, Value(text, "pool_numbers_available", $"pool=\"{pool}\"") + Value(text, "pool_numbers", $"pool=\"{pool}\"", "state=\"cooling\""));
        Assert.Equal(0, Value(text, "pool_numbers_watchlisted", $"pool=\"{pool}\""));
        Assert.Equal(1, Value(text, "pool_numbers", $"pool=\"{pool}\"", "state=\"leased\""));
        Assert.True(Value(text, "pool_inbound_messages_total", "outcome=\"delivered\"") >= 1, "the SMS counted as delivered");
        Assert.True(Value(text, "pool_otp_extractions_total", "result=\"code\"") >= 1, "the code found in the SMS counted");
        Assert.True(Value(text, "pool_stream_delivery_latency_seconds_count") >= 1, "the stream's delivery latency recorded");
        Assert.NotNull(Value(text, "pool_stream_delivery_latency_seconds_bucket", "le=\"0.5\""));
        Assert.True(Value(text, "pool_webhooks_delivery_latency_seconds_count") >= 1, "the webhook's delivery latency recorded");
        Assert.NotNull(Value(text, "pool_webhooks_backlog"));
        Assert.True(Value(text, "pool_webhooks_attempts_total", "result=\"delivered\"") >= 1, "the webhook attempt counted");
        Assert.True(Value(text, "pool_verifications_total", "outcome=\"started\"") >= 1, "the verification start counted");
        Assert.True(Value(text, "pool_verifications_total", "outcome=\"canceled\"") >= 1, "the verification cancel counted");
        // Other test classes' Pools may run in this test process with binds of the same names: at least this one is bound.
        Assert.True(Value(text, "pool_smpp_binds", "connection=\"sim-a\"", "state=\"bound\"") >= 1, "the sim-a bind reported bound");
        Assert.NotNull(Value(text, "pool_smpp_binds", "connection=\"sim-a\"", "state=\"disconnected\""));
        Assert.True(Value(text, "pool_smpp_submits_total", "connection=\"sim-a\"", "result=\"ESME_ROK\"") >= 1, "the code's submit_sm counted by command_status");
        Assert.NotNull(Value(text, "pool_smpp_window_in_use", "connection=\"sim-a\""));
        // ASP.NET Core's and Npgsql's meters are created per host and vanish from the export when another
        // host of this test process stops; Observability.Tests' coverage check, with one Pool in its
        // process, asserts http_server_* and db_client_* at /metrics.
        var labelled = LabelValue().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.DoesNotContain(labelled, value => FullNumber().IsMatch(value) || numbers.Append(To).Any(n => value.Contains(n[1..], StringComparison.Ordinal)));
        Assert.All(numbers.Append(To), n => Assert.DoesNotContain(n[1..], text, StringComparison.Ordinal));
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include every one of <paramref name="labels"/>; null when there is none.</summary>
    private static double? Value(string text, string name, params string[] labels)
    {
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            var match = Sample().Match(line);
            if (!match.Success || match.Groups["name"].Value != name || !labels.All(l => match.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            {
                continue;
            }

            sum = (sum ?? 0) + double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex("=\"([^\"]*)\"")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"\+\d{8,15}")]
    private static partial Regex FullNumber();
}
