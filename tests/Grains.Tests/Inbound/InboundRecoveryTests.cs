using Pool.Contracts.Inbound;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Testing;

namespace Pool.Grains.Tests.Inbound;

/// <summary>
/// What each crash on the inbound path leaves behind is repaired, and a copy is never routed twice: a message
/// is stored already attached to the lease its number named, so the states a crash can leave are "stored
/// attached, the lease not told" and "the lease told, not appended"; the recovery job and the carrier's retry
/// both route such a message to that lease (never to whoever holds the number by then), and a carrier's
/// duplicates reach neither the number's flood count nor the lease.
/// </summary>
public sealed class InboundRecoveryTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static int s_messages;

    private IGrainFactory Grains => fixture.Grains;

    private IInboundGrain Inbound => Grains.GetGrain<IInboundGrain>(0);

    private static string NewTenant() => $"recover-{Guid.NewGuid():n}"[..20];

    private static InboundMessage Sms(string number, string text) =>
        new("test", $"recover-{Interlocked.Increment(ref s_messages)}-{Guid.NewGuid():n}", "Telegram", number, text, DateTimeOffset.UtcNow);

    private async Task<LeaseInfo> LeaseAsync(string tenant, string poolId, string service = "telegram") =>
        await Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest(tenant, "HK", poolId, service, TimeSpan.FromMinutes(20)));

    /// <summary>
    /// What a silo that died after the INSERT leaves: the message stored attached to <paramref name="leaseId"/>,
    /// not routed, stored <paramref name="storedAgo"/> ago (the recovery job waits out its grace first).
    /// </summary>
    private async Task<string> StoredAttachedAsync(string number, string leaseId, string carrierMessageId, string code, TimeSpan storedAgo)
    {
        var id = $"msg_{Guid.NewGuid():n}";
        await fixture.Database.ExecuteAsync($"""
            INSERT INTO messages (message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, stored_at, lease_id, code, service)
            VALUES ('{id}', 'test', '{carrierMessageId}', 'Telegram', '{number}', 'Telegram code {code}', now() - interval '{storedAgo.TotalSeconds} seconds',
                    now() - interval '{storedAgo.TotalSeconds} seconds', '{leaseId}', '{code}', 'Telegram')
            """);
        return id;
    }

    private async Task<IReadOnlyList<StoredMessage>> StreamAsync(string tenant) =>
        await Grains.GetGrain<ITenantInboxGrain>(tenant).WaitAsync(0, TimeSpan.Zero);

    private Task<(int Messages, bool Active)> LeaseCountAsync(LeaseInfo lease) =>
        Grains.GetGrain<ILeaseGrain>(lease.LeaseId).WaitForMessageAsync(lease.TenantId, int.MaxValue, TimeSpan.Zero);

    [Fact]
    public async Task A_new_message_is_stored_attached_to_its_lease_routed_and_on_the_stream_with_the_lease_told()
    {
        var tenant = NewTenant();
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await LeaseAsync(tenant, poolId);

        var result = await Inbound.AcceptAsync(Sms(lease.Number, "Your Telegram code is 424001"));
        var row = await fixture.Database.ScalarAsync<string>($"SELECT lease_id || '/' || routed || '/' || tenant_seq FROM messages WHERE message_id = '{result.MessageId}'");
        var streamed = Assert.Single(await StreamAsync(tenant));

        Assert.Equal(InboundOutcome.Delivered, result.Outcome);
        Assert.Equal($"{lease.LeaseId}/true/1", row);
        Assert.Equal((result.MessageId, "424001"), (streamed.MessageId, streamed.Code));
        Assert.Equal((1, true), await LeaseCountAsync(lease));
        Assert.Equal(SessionState.CodeReceived, (await Grains.GetGrain<ILeaseGrain>(lease.LeaseId).GetAsync(tenant)).Session);
    }

    [Fact]
    public async Task A_message_stored_attached_but_never_routed_is_routed_to_its_lease_by_the_recovery_job_once()
    {
        var tenant = NewTenant();
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await LeaseAsync(tenant, poolId);
        var id = await StoredAttachedAsync(lease.Number, lease.LeaseId, $"crash-{Guid.NewGuid():n}", "515151", TimeSpan.FromMinutes(5));

        var recovered = await Grains.GetGrain<IInboundMaintenanceGrain>(0).RecoverUnroutedAsync();
        var again = await Grains.GetGrain<IInboundMaintenanceGrain>(0).RecoverUnroutedAsync();
        var streamed = Assert.Single(await StreamAsync(tenant));

        Assert.True(recovered >= 1, "the stored message was picked up");
        Assert.Equal(0, again);
        Assert.Equal((id, "515151", lease.LeaseId, 1L), (streamed.MessageId, streamed.Code, streamed.LeaseId, streamed.Cursor));
        Assert.Equal((1, true), await LeaseCountAsync(lease));
        Assert.Equal(SessionState.CodeReceived, (await Grains.GetGrain<ILeaseGrain>(lease.LeaseId).GetAsync(tenant)).Session);
        Assert.True(await fixture.Database.ScalarAsync<bool>($"SELECT routed FROM messages WHERE message_id = '{id}'"));
    }

    [Fact]
    public async Task The_carriers_retry_of_a_message_stored_attached_but_never_routed_routes_that_copy_and_a_further_retry_is_a_duplicate()
    {
        var tenant = NewTenant();
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await LeaseAsync(tenant, poolId);
        var retry = Sms(lease.Number, "Your Telegram code is 616161");
        var id = await StoredAttachedAsync(lease.Number, lease.LeaseId, retry.CarrierMessageId, "616161", TimeSpan.Zero);

        var routed = await Inbound.AcceptAsync(retry);
        var duplicate = await Inbound.AcceptAsync(retry);

        Assert.Equal((InboundOutcome.Delivered, id), (routed.Outcome, routed.MessageId));
        Assert.Equal((InboundOutcome.Duplicate, id), (duplicate.Outcome, duplicate.MessageId));
        Assert.Equal(id, Assert.Single(await StreamAsync(tenant)).MessageId);
        Assert.Equal((1, true), await LeaseCountAsync(lease));
    }

    [Fact]
    public async Task A_message_stored_attached_to_a_lease_that_ended_is_recovered_as_unsolicited_not_handed_to_the_numbers_next_lease()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var first = await LeaseAsync(NewTenant(), poolId, "telegram");
        var id = await StoredAttachedAsync(first.Number, first.LeaseId, $"crash-{Guid.NewGuid():n}", "717171", TimeSpan.FromMinutes(5));
        await Grains.GetGrain<ILeaseGrain>(first.LeaseId).ReleaseAsync(first.TenantId, LeaseOutcome.Cancelled);
        var next = await LeaseAsync(NewTenant(), poolId, "whatsapp");

        await Grains.GetGrain<IInboundMaintenanceGrain>(0).RecoverUnroutedAsync();
        var row = await fixture.Database.ScalarAsync<string>($"SELECT routed || '/' || coalesce(lease_id, '-') || '/' || coalesce(tenant_id, '-') FROM messages WHERE message_id = '{id}'");

        Assert.Equal(first.Number, next.Number);
        Assert.Equal("true/-/-", row);
        Assert.Empty(await StreamAsync(first.TenantId));
        Assert.Empty(await StreamAsync(next.TenantId));
        Assert.Equal((0, true), await LeaseCountAsync(next));
    }

    [Fact]
    public async Task Copies_of_one_message_arriving_together_make_one_row_one_place_on_the_stream_and_one_webhook_delivery()
    {
        var tenant = NewTenant();
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        var lease = await LeaseAsync(tenant, poolId);
        await fixture.Database.ExecuteAsync($"""
            INSERT INTO webhook_endpoints (endpoint_id, tenant_id, url, secret, created_at)
            VALUES ('we_{Guid.NewGuid():n}', '{tenant}', 'http://127.0.0.1:9/hook', 'whsec_test', now())
            """);
        var message = Sms(lease.Number, "Your Telegram code is 818181");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Inbound.AcceptAsync(message)));
        var later = await Inbound.AcceptAsync(message);
        var streamed = Assert.Single(await StreamAsync(tenant));

        Assert.Single(results.Select(r => r.MessageId).Distinct());
        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { InboundOutcome.Delivered, InboundOutcome.Duplicate }));
        Assert.Equal((InboundOutcome.Duplicate, results[0].MessageId), (later.Outcome, later.MessageId));
        Assert.Equal(results[0].MessageId, streamed.MessageId);
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM messages WHERE carrier = 'test' AND carrier_message_id = '{message.CarrierMessageId}'"));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_deliveries WHERE message_id = '{results[0].MessageId}'"));
    }

    [Fact]
    public async Task A_carrier_resending_a_stored_message_is_not_counted_again_by_its_number_or_its_lease()
    {
        var tenant = NewTenant();
        // Two messages an hour put a number on the watchlist: copies counted as messages would do it at once.
        var (poolId, numbers) = await TestPools.CreateAsync(Grains, 2, PoolPolicy.Default with { Cooldown = TimeSpan.Zero, FloodMessagesPerHour = 2 });
        var lease = await LeaseAsync(tenant, poolId);
        var idle = numbers.Single(n => n != lease.Number);
        var toLease = Sms(lease.Number, "Your Telegram code is 919191");
        var toIdle = Sms(idle, "Your Telegram code is 929292");

        var first = await Inbound.AcceptAsync(toLease);
        var unsolicited = await Inbound.AcceptAsync(toIdle);
        var copies = new List<InboundResult>();
        for (var i = 0; i < 4; i++)
        {
            copies.Add(await Inbound.AcceptAsync(toLease));
            copies.Add(await Inbound.AcceptAsync(toIdle));
        }

        Assert.Equal((InboundOutcome.Delivered, InboundOutcome.Unsolicited), (first.Outcome, unsolicited.Outcome));
        Assert.All(copies, c => Assert.Equal(InboundOutcome.Duplicate, c.Outcome));
        Assert.Equal(NumberStatus.Available, (await Grains.GetGrain<INumberGrain>(idle).GetAsync()).Status);
        Assert.Equal((1, true), await LeaseCountAsync(lease));
        Assert.Single(await StreamAsync(tenant));
    }
}
