using Pool.Contracts.Inbound;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;
using Pool.Testing;

namespace Pool.Grains.Tests.Inbound;

/// <summary>The inbound pipeline on a two-silo cluster: concatenation, recovery of unrouted messages, retention.</summary>
public sealed class InboundPipelineTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const string Tenant = "inbound-co";
    private static int s_messages;

    private IGrainFactory Grains => fixture.Grains;

    private async Task<LeaseInfo> LeaseAsync(PoolPolicy? policy = null)
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1, policy);
        return await Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest(Tenant, "HK", poolId, "telegram", TimeSpan.FromMinutes(20)));
    }

    private static InboundMessage Sms(string number, string text, DateTimeOffset? receivedAt = null) =>
        new("test", $"m-{Interlocked.Increment(ref s_messages)}-{Guid.NewGuid():n}", "Telegram", number, text, receivedAt ?? DateTimeOffset.UtcNow);

    private Task<InboundResult> PartAsync(InboundMessage message, int reference, int total, int sequence)
    {
        var part = new InboundPart(message, reference, total, sequence);
        return Grains.GetGrain<IConcatenationGrain>(ConcatenationKeys.Of(part)).AddPartAsync(part);
    }

    private Task<IReadOnlyList<StoredMessage>> MessagesAsync(string leaseId) => Grains.GetGrain<IInboundGrain>(0).ListForLeaseAsync(leaseId);

    [Fact]
    public async Task Parts_arriving_out_of_order_and_twice_make_one_message_in_order()
    {
        var lease = await LeaseAsync();
        var third = await PartAsync(Sms(lease.Number, "code is 424242."), 7, 3, 3);
        var first = await PartAsync(Sms(lease.Number, "Your Telegram "), 7, 3, 1);
        var firstAgain = await PartAsync(Sms(lease.Number, "Your Telegram "), 7, 3, 1);
        var second = await PartAsync(Sms(lease.Number, "login "), 7, 3, 2);
        var secondAfterRelease = await PartAsync(Sms(lease.Number, "login "), 7, 3, 2);

        var message = Assert.Single(await MessagesAsync(lease.LeaseId));

        Assert.Equal(
            [InboundOutcome.PartAccepted, InboundOutcome.PartAccepted, InboundOutcome.Duplicate, InboundOutcome.Delivered, InboundOutcome.Duplicate],
            [third.Outcome, first.Outcome, firstAgain.Outcome, second.Outcome, secondAfterRelease.Outcome]);
        Assert.Equal("Your Telegram login code is 424242.", message.Text);
        Assert.Equal("424242", message.Code);
        Assert.False(message.Incomplete);
        Assert.Equal(second.MessageId, secondAfterRelease.MessageId);
    }

    [Fact]
    public async Task A_message_missing_a_part_is_delivered_incomplete_when_the_wait_times_out()
    {
        var lease = await LeaseAsync();
        await PartAsync(Sms(lease.Number, "Your code is 90"), 9, 3, 1);
        await PartAsync(Sms(lease.Number, " and expires soon"), 9, 3, 3);

        var messages = await Eventually.ReturnsAsync(() => MessagesAsync(lease.LeaseId), m => m.Count == 1, TimeSpan.FromSeconds(30), "the incomplete message after the 3-second wait");

        Assert.True(messages[0].Incomplete);
        Assert.Equal("Your code is 90[…] and expires soon", messages[0].Text);
    }

    [Fact]
    public async Task Invalid_part_numbers_are_refused_naming_the_field()
    {
        var lease = await LeaseAsync();

        var beyond = await Assert.ThrowsAsync<Contracts.Errors.PoolException>(() => PartAsync(Sms(lease.Number, "x"), 1, 2, 3));
        var noParts = await Assert.ThrowsAsync<Contracts.Errors.PoolException>(() => PartAsync(Sms(lease.Number, "x"), 1, 0, 1));

        Assert.Equal("part", beyond.Field);
        Assert.Equal("total", noParts.Field);
        Assert.Empty(await MessagesAsync(lease.LeaseId));
    }

    [Fact]
    public async Task A_message_stored_but_never_routed_is_routed_by_the_recovery_job_and_reaches_the_tenant_once()
    {
        var lease = await LeaseAsync();
        var messageId = $"msg_{Guid.NewGuid():n}";
        await fixture.Database.ExecuteAsync($"""
            INSERT INTO messages (message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, stored_at, code, service)
            VALUES ('{messageId}', 'test', '{messageId}', 'Telegram', '{lease.Number}', 'Telegram code 55555', now(), now() - interval '5 minutes', '55555', 'Telegram')
            """);
        var inbox = Grains.GetGrain<ITenantInboxGrain>(Tenant);
        var before = await inbox.WaitAsync(0, TimeSpan.Zero);

        var recovered = await Grains.GetGrain<IInboundMaintenanceGrain>(0).RecoverUnroutedAsync();
        var again = await Grains.GetGrain<IInboundMaintenanceGrain>(0).RecoverUnroutedAsync();
        var after = await inbox.WaitAsync(0, TimeSpan.Zero);

        Assert.True(recovered >= 1, "the unrouted message was picked up");
        Assert.Equal(0, again);
        Assert.Equal("55555", Assert.Single(await MessagesAsync(lease.LeaseId)).Code);
        Assert.Equal(1, after.Count(m => m.MessageId == messageId) - before.Count(m => m.MessageId == messageId));
        Assert.True(await fixture.Database.ScalarAsync<bool>($"SELECT routed FROM messages WHERE message_id = '{messageId}'"));
    }

    [Fact]
    public async Task Text_past_the_pools_retention_is_purged_and_the_metadata_stays()
    {
        var lease = await LeaseAsync(PoolPolicy.Default with { Cooldown = TimeSpan.Zero, MessageRetention = TimeSpan.FromHours(1) });
        var inbound = Grains.GetGrain<IInboundGrain>(0);
        await inbound.AcceptAsync(Sms(lease.Number, "Old code 111111", DateTimeOffset.UtcNow.AddHours(-2)));
        await inbound.AcceptAsync(Sms(lease.Number, "New code 222222"));

        var purged = await Grains.GetGrain<IInboundMaintenanceGrain>(0).PurgeExpiredTextAsync();
        var messages = await MessagesAsync(lease.LeaseId);

        Assert.True(purged >= 1);
        var old = Assert.Single(messages, m => m.Code == "111111");
        var recent = Assert.Single(messages, m => m.Code == "222222");
        Assert.True(old.TextPurged);
        Assert.Equal("", old.Text);
        Assert.Equal("Telegram", old.SenderMasked);
        Assert.False(recent.TextPurged);
        Assert.Equal("New code 222222", recent.Text);
    }

    [Fact]
    public async Task A_tenants_stream_resumes_after_its_cursor_in_order()
    {
        var lease = await LeaseAsync();
        var inbox = Grains.GetGrain<ITenantInboxGrain>(Tenant);
        var start = (await inbox.WaitAsync(0, TimeSpan.Zero)).Select(m => m.Cursor).DefaultIfEmpty(0).Max();
        var inbound = Grains.GetGrain<IInboundGrain>(0);

        var waiting = inbox.WaitAsync(start, TimeSpan.FromSeconds(30));
        await inbound.AcceptAsync(Sms(lease.Number, "Your code is 101010"));
        var woken = await waiting;
        await inbound.AcceptAsync(Sms(lease.Number, "Your code is 202020"));
        var resumed = await inbox.WaitAsync(woken[^1].Cursor, TimeSpan.FromSeconds(30));

        Assert.Equal("101010", Assert.Single(woken).Code);
        Assert.Equal(start + 1, woken[0].Cursor);
        Assert.Equal("202020", Assert.Single(resumed).Code);
        Assert.Equal(start + 2, resumed[0].Cursor);
    }
}
