using Pool.Contracts.Routes;
using Pool.Contracts.Verification;
using Pool.Testing;

namespace Pool.Grains.Tests.Routes;

/// <summary>Status reports on a real cluster and database: every one stored, each applied once, none lost to a race with its submit.</summary>
public sealed class StatusReportTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    private IRouteSelectorGrain Selector => Grains.GetGrain<IRouteSelectorGrain>(0);

    private IOutboundReceiptGrain Receipts => Grains.GetGrain<IOutboundReceiptGrain>(0);

    /// <summary>The silos' clock: submits are stamped with it, so reports are too.</summary>
    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    /// <summary>One route named after its connection, alone in the country's table.</summary>
    private async Task DefineAsync(string country, string connection)
    {
        await Grains.GetGrain<ICarrierRouteGrain>(connection).UpsertAsync(new RouteDefinition(connection, connection, [country], [], 0.01m, 1));
        await Grains.GetGrain<IRouteTableGrain>(country).SetAsync([connection], []);
    }

    private Task<string?> StatusAsync(string connection, string carrierMessageId, int nth) =>
        fixture.Database.ScalarAsync<string>(
            $"SELECT status FROM outbound_messages WHERE connection = '{connection}' AND carrier_message_id = '{carrierMessageId}' ORDER BY outbound_id OFFSET {nth} LIMIT 1");

    private Task<long> ReportsStoredAsync(string connection, string carrierMessageId) =>
        fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM status_reports WHERE connection = '{connection}' AND carrier_message_id = '{carrierMessageId}'");

    [Fact]
    public async Task A_receipt_that_overtakes_its_submit_is_stored_pending_and_applied_once_the_submit_is_recorded()
    {
        await DefineAsync("IE", "ie-overtaken");
        var outcomes = new List<StatusReportOutcome>();
        fixture.Gateway.Set("ie-overtaken", new CarrierBehaviour(BeforeAnswer: async id =>
            outcomes.Add(await fixture.Grains.GetGrain<IOutboundReceiptGrain>(0).RecordAsync(Reports.Final("ie-overtaken", id, delivered: true, receivedAt: fixture.Clock.GetUtcNow())))));
        var verification = Grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom());

        var started = await verification.StartAsync(new VerificationRequest("overtaken-co", "+353871234567", "sms", null, null));
        var delivered = await Eventually.ReturnsAsync(
            () => verification.GetAsync("overtaken-co"), v => v.Delivery == VerificationDelivery.Delivered, TimeSpan.FromSeconds(20), "the verification delivered by the receipt that came before its submit was recorded");
        var id = fixture.Gateway.SubmissionsTo("ie-overtaken").Single().CarrierMessageIds[0];
        var repeated = await Receipts.RecordAsync(Reports.Final("ie-overtaken", id, delivered: true, receivedAt: Now));
        var route = await Grains.GetGrain<ICarrierRouteGrain>("ie-overtaken").GetAsync();

        Assert.Equal([StatusReportOutcome.Pending], outcomes);
        Assert.Equal(VerificationDelivery.Sent, started.Delivery);
        Assert.Equal(VerificationDelivery.Delivered, delivered.Delivery);
        Assert.Equal("delivered", await StatusAsync("ie-overtaken", id, 0));
        Assert.Equal(StatusReportOutcome.Duplicate, repeated);
        Assert.Equal(1, route.Health.Delivered);
        Assert.Equal(1, await ReportsStoredAsync("ie-overtaken", id));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM status_reports WHERE carrier_message_id = '{id}' AND (outbound_id IS NULL OR applied_at IS NULL)"));
    }

    [Fact]
    public async Task An_intermediate_notification_marks_the_message_enroute_and_only_the_final_receipt_settles_it()
    {
        await DefineAsync("PT", "pt-enroute");
        var sent = await Selector.SendAsync(new OutboundSms("+351912345678", "hello", "test:pt"));
        var id = sent.CarrierMessageIds[0];

        var intermediate = await Receipts.RecordAsync(Reports.Intermediate("pt-enroute", id, Now));
        var afterIntermediate = await StatusAsync("pt-enroute", id, 0);
        var acknowledged = await Receipts.RecordAsync(Reports.Acknowledgement("pt-enroute", id, Now));
        var healthBeforeFinal = (await Grains.GetGrain<ICarrierRouteGrain>("pt-enroute").GetAsync()).Health;
        var final = await Receipts.RecordAsync(Reports.Final("pt-enroute", id, delivered: false, "UNDELIV 001", Now));
        var intermediateAgain = await Receipts.RecordAsync(Reports.Intermediate("pt-enroute", id, Now));
        var health = (await Grains.GetGrain<ICarrierRouteGrain>("pt-enroute").GetAsync()).Health;

        Assert.Equal(StatusReportOutcome.Recorded, intermediate);
        Assert.Equal("enroute", afterIntermediate);
        Assert.Equal(StatusReportOutcome.Recorded, acknowledged);
        Assert.Equal(0, healthBeforeFinal.Delivered + healthBeforeFinal.Undelivered);
        Assert.Equal(StatusReportOutcome.Recorded, final);
        Assert.Equal("undelivered", await StatusAsync("pt-enroute", id, 0));
        Assert.Equal(StatusReportOutcome.Duplicate, intermediateAgain);
        Assert.Equal((0, 1), (health.Delivered, health.Undelivered));
        Assert.Equal(3, await ReportsStoredAsync("pt-enroute", id));
    }

    [Fact]
    public async Task When_the_SMSC_reuses_a_message_id_the_receipt_settles_the_newest_message()
    {
        await DefineAsync("BE", "be-reused");
        fixture.Gateway.Set("be-reused", new CarrierBehaviour(ReuseId: "0001"));
        var older = Grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom());
        var newer = Grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom());
        await older.StartAsync(new VerificationRequest("reuse-co", "+32471123456", "sms", null, null));
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await newer.StartAsync(new VerificationRequest("reuse-co", "+32471123457", "sms", null, null));

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var first = await Receipts.RecordAsync(Reports.Final("be-reused", "0001", delivered: true, receivedAt: Now));
        var repeated = await Receipts.RecordAsync(Reports.Final("be-reused", "0001", delivered: true, receivedAt: Now));

        Assert.Equal(StatusReportOutcome.Recorded, first);
        Assert.Equal(StatusReportOutcome.Duplicate, repeated);
        Assert.Equal("sent", await StatusAsync("be-reused", "0001", 0));
        Assert.Equal("delivered", await StatusAsync("be-reused", "0001", 1));
        Assert.Equal(VerificationDelivery.Sent, (await older.GetAsync("reuse-co")).Delivery);
        Assert.Equal(VerificationDelivery.Delivered, (await newer.GetAsync("reuse-co")).Delivery);

        // The id comes round again: a third message, and the same words now report on it.
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await Selector.SendAsync(new OutboundSms("+32471123458", "third", "test:be"));
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var third = await Receipts.RecordAsync(Reports.Final("be-reused", "0001", delivered: true, receivedAt: Now));

        Assert.Equal(StatusReportOutcome.Recorded, third);
        Assert.Equal("delivered", await StatusAsync("be-reused", "0001", 2));
        Assert.Equal("sent", await StatusAsync("be-reused", "0001", 0));
    }

    [Fact]
    public async Task A_report_and_its_submit_recorded_at_the_same_moment_never_miss_each_other()
    {
        await DefineAsync("AT", "at-race");
        var store = new Pool.Grains.Routes.OutboundStore(Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString));
        var windows = new Pool.Grains.Routes.RouteSelectionOptions().ReportWindows;
        var settled = 0;
        for (var i = 0; i < 20; i++)
        {
            var id = $"race-{i}";
            var now = DateTimeOffset.UtcNow;
            var report = Task.Run(() => store.RecordReportAsync(Reports.Final("at-race", id, delivered: true, receivedAt: now), windows, now));
            var sent = Task.Run(() => store.RecordSentAsync("at-race", [id], "at-race", $"test:{i}", now, windows));
            var recording = await report;
            var claimed = await sent;
            settled += (recording.Settlement is null ? 0 : 1) + claimed.Count;

            Assert.Equal("delivered", await StatusAsync("at-race", id, 0));
        }

        Assert.Equal(20, settled);
    }
}
