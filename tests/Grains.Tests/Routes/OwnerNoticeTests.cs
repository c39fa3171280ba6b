using Npgsql;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Contracts.Verification;
using Pool.Grains.Routes;
using Pool.Testing;

namespace Pool.Grains.Tests.Routes;

/// <summary>
/// The owner of a settled message part hears of it even when the silo that settled it did not tell it:
/// the owner sweep finds it, tells it and marks it, once, and survives a database fault.
/// </summary>
public sealed class OwnerNoticeTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>
{
    private static readonly TimeSpan PastGrace = new RouteSelectionOptions().OwnerNoticeGrace + TimeSpan.FromSeconds(1);

    private IGrainFactory Grains => fixture.Grains;

    private IOutboundOwnerSweepGrain Sweep => Grains.GetGrain<IOutboundOwnerSweepGrain>(0);

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    private async Task DefineAsync(string country, string connection)
    {
        await Grains.GetGrain<ICarrierRouteGrain>(connection).UpsertAsync(new RouteDefinition(connection, connection, [country], [], 0.01m, 1));
        await Grains.GetGrain<IRouteTableGrain>(country).SetAsync([connection], []);
    }

    /// <summary>Starts a verification sent on <paramref name="connection"/>; returns it and the carrier id of its one part.</summary>
    private async Task<(IVerificationGrain Verification, string CarrierMessageId)> SendVerificationAsync(string tenant, string to, string connection)
    {
        var verification = Grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom());
        var started = await verification.StartAsync(new VerificationRequest(tenant, to, "sms", null, null));
        Assert.Equal(VerificationDelivery.Sent, started.Delivery);
        return (verification, fixture.Gateway.SubmissionsTo(connection).Single().CarrierMessageIds[0]);
    }

    /// <summary>
    /// Settles the part through the store alone, as a receipt grain whose silo died right after the
    /// commit would have: the settlement is returned and nobody passes it on.
    /// </summary>
    private async Task SettleUntoldAsync(string connection, string carrierMessageId, bool delivered)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        var recording = await new OutboundStore(dataSource).RecordReportAsync(
            Reports.Final(connection, carrierMessageId, delivered, receivedAt: Now), new RouteSelectionOptions().ReportWindows, Now);
        Assert.NotNull(recording.Settlement);
    }

    private Task<string?> OwnerNotifiedAtAsync(string connection, string carrierMessageId) =>
        fixture.Database.ScalarAsync<string>(
            $"SELECT owner_notified_at::text FROM outbound_messages WHERE connection = '{connection}' AND carrier_message_id = '{carrierMessageId}'");

    private Task TickAsync() =>
        Sweep.AsReference<IRemindable>().ReceiveReminder("outbound-owner-notices", new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(1), DateTime.UtcNow));

    [Fact]
    public void The_owner_notice_grace_must_be_positive_and_at_most_a_minute()
    {
        Assert.Empty(new RouteSelectionOptions().Validate());
        foreach (var grace in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(2) })
        {
            var problems = new RouteSelectionOptions { OwnerNoticeGrace = grace }.Validate().ToList();
            Assert.Contains(problems, p => p.StartsWith($"{RouteSelectionOptions.Section}:OwnerNoticeGrace", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_settlement_whose_owner_was_never_told_reaches_its_verification_through_the_sweep()
    {
        await DefineAsync("NL", "nl-untold");
        var (verification, id) = await SendVerificationAsync("untold-co", "+31612345678", "nl-untold");
        await SettleUntoldAsync("nl-untold", id, delivered: true);

        await Sweep.SweepAsync();
        var withinGrace = await verification.GetAsync("untold-co");
        var markedWithinGrace = await OwnerNotifiedAtAsync("nl-untold", id);

        fixture.Clock.Advance(PastGrace);
        await Sweep.SweepAsync();
        var afterSweep = await verification.GetAsync("untold-co");
        var marked = await OwnerNotifiedAtAsync("nl-untold", id);
        var again = await Sweep.SweepAsync();
        await verification.RecordDeliveryAsync(false); // The same owner told of another part, or told late: delivered stays.
        var retold = await verification.GetAsync("untold-co");

        Assert.True(withinGrace.Delivery == VerificationDelivery.Sent, "within the grace the sweep leaves the owner to the caller that settled the part");
        Assert.True(markedWithinGrace is null, "a part whose owner was not told is not marked told");
        Assert.True(afterSweep.Delivery == VerificationDelivery.Delivered, "past the grace the sweep tells the verification its message was delivered");
        Assert.True(marked is not null, "the sweep marks the part's owner told");
        Assert.True(again == 0, "a part the sweep told is not told again by the next run");
        Assert.Equal(marked, await OwnerNotifiedAtAsync("nl-untold", id));
        Assert.True(retold.Delivery == VerificationDelivery.Delivered, "a later undelivered notice does not undo a delivered verification");
    }

    [Fact]
    public async Task A_part_whose_owner_was_told_when_it_settled_is_not_told_again()
    {
        await DefineAsync("DK", "dk-told");
        var (verification, id) = await SendVerificationAsync("told-co", "+4520123456", "dk-told");
        var recorded = await Grains.GetGrain<IOutboundReceiptGrain>(0).RecordAsync(Reports.Final("dk-told", id, delivered: false, "UNDELIV 001", Now));
        var toldAt = await OwnerNotifiedAtAsync("dk-told", id);
        var told = await verification.GetAsync("told-co");

        fixture.Clock.Advance(PastGrace);
        var swept = await Sweep.SweepAsync();
        var after = await verification.GetAsync("told-co");
        await verification.RecordDeliveryAsync(false); // What a second notice of the same receipt would do.
        var repeated = await verification.GetAsync("told-co");

        Assert.Equal(StatusReportOutcome.Recorded, recorded);
        Assert.True(toldAt is not null, "the receipt grain marks the owner told once it took the receipt");
        Assert.Equal(VerificationDelivery.Undelivered, told.Delivery);
        Assert.True(swept == 0, "the sweep finds no owner left to tell");
        Assert.Equal(toldAt, await OwnerNotifiedAtAsync("dk-told", id));
        Assert.Equal(told, after);
        Assert.True(told == repeated, "a repeated notice changes nothing on the verification, not even its update time");
    }

    [Fact]
    public async Task The_owner_of_a_receipt_claimed_by_its_submit_is_marked_told()
    {
        await DefineAsync("SE", "se-claimed");
        fixture.Gateway.Set("se-claimed", new CarrierBehaviour(BeforeAnswer: async id =>
            await Grains.GetGrain<IOutboundReceiptGrain>(0).RecordAsync(Reports.Final("se-claimed", id, delivered: true, receivedAt: Now))));
        var (verification, id) = await SendVerificationAsync("claimed-co", "+46701234567", "se-claimed");

        var delivered = await Eventually.ReturnsAsync(
            () => verification.GetAsync("claimed-co"), v => v.Delivery == VerificationDelivery.Delivered, TimeSpan.FromSeconds(20), "the verification delivered by the receipt its submit claimed");
        var toldAt = await Eventually.ReturnsAsync(
            () => OwnerNotifiedAtAsync("se-claimed", id), at => at is not null, TimeSpan.FromSeconds(20), "the part marked told after route selection told its owner");

        Assert.Equal(VerificationDelivery.Delivered, delivered.Delivery);
        Assert.NotNull(toldAt);
    }

    [Fact]
    public async Task A_database_fault_in_a_sweep_is_survived_and_the_next_tick_tells_the_owner()
    {
        await DefineAsync("NO", "no-fault");
        var (verification, id) = await SendVerificationAsync("fault-co", "+4741234567", "no-fault");
        await SettleUntoldAsync("no-fault", id, delivered: true);
        fixture.Clock.Advance(PastGrace);
        await Sweep.StartAsync();

        PoolException refused;
        await fixture.Database.ExecuteAsync("ALTER TABLE outbound_messages RENAME COLUMN owner_notified_at TO owner_notified_at_hidden");
        try
        {
            refused = await Assert.ThrowsAsync<PoolException>(() => Sweep.SweepAsync());
            await TickAsync(); // The reminder's own path: the fault is logged, not thrown at the reminder service.
        }
        finally
        {
            await fixture.Database.ExecuteAsync("ALTER TABLE outbound_messages RENAME COLUMN owner_notified_at_hidden TO owner_notified_at");
        }

        var duringFault = await verification.GetAsync("fault-co");
        var reminders = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM orleansreminderstable WHERE remindername = 'outbound-owner-notices'");
        await TickAsync();
        var afterFault = await verification.GetAsync("fault-co");

        Assert.Equal(PoolErrorCode.Unavailable, refused.Code);
        Assert.True(duringFault.Delivery == VerificationDelivery.Sent, "nothing was told while the database failed");
        Assert.True(reminders == 1, "the sweep's reminder is still registered after the fault");
        Assert.True(afterFault.Delivery == VerificationDelivery.Delivered, "the next tick tells the owner once the database answers");
        Assert.NotNull(await OwnerNotifiedAtAsync("no-fault", id));
    }
}
