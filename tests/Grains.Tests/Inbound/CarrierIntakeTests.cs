using Npgsql;
using Pool.Contracts.Inbound;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;
using Pool.Grains.Inbound;
using Pool.Testing;

namespace Pool.Grains.Tests.Inbound;

/// <summary>
/// What carriers hand over is stored even when Pool cannot use it: flagged and raw messages, SMPP
/// messages with no id told apart by a sliding duplicate window, and concatenated parts told apart by
/// their content when a reference is reused.
/// </summary>
public sealed class CarrierIntakeTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IDisposable
{
    private const string Tenant = "intake-co";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);

    private IGrainFactory Grains => fixture.Grains;

    private IInboundGrain Inbound => Grains.GetGrain<IInboundGrain>(0);

    private MessageStore Store => new(_dataSource);

    public void Dispose() => _dataSource.Dispose();

    private async Task<LeaseInfo> LeaseAsync()
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, 1);
        return await Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest(Tenant, "HK", poolId, "telegram", TimeSpan.FromMinutes(20)));
    }

    private static string NewDigest() => Guid.NewGuid().ToString("n");

    /// <summary>An SMPP MO as the carrier side hands it over: no carrier id, a content digest and the 5-minute window.</summary>
    private static InboundMessage Mo(string number, string text, string digest, DateTimeOffset receivedAt) =>
        new("smpp-a", digest, "Telegram", number, text, receivedAt) { DuplicateWindow = Window };

    private static InboundRaw Raw(byte dataCoding, byte[] userData, string destination, string? problem = null) =>
        new("deliver_sm", dataCoding, 0x40, userData, [0x02, 0x04, 0x00, 0x02, 0x00, 0x07], 1, 1, 1, 1, destination, problem);

    private Task<IReadOnlyList<StoredMessage>> MessagesAsync(string leaseId) => Inbound.ListForLeaseAsync(leaseId);

    private Task<InboundResult> PartAsync(InboundMessage message, int reference, int total, int sequence)
    {
        var part = new InboundPart(message, reference, total, sequence);
        return Grains.GetGrain<IConcatenationGrain>(ConcatenationKeys.Of(part)).AddPartAsync(part);
    }

    [Fact]
    public async Task A_binary_message_is_stored_raw_with_its_flags_and_no_code_is_read_from_it()
    {
        var lease = await LeaseAsync();
        var userData = "Code 654321"u8.ToArray();
        var message = Mo(lease.Number, Convert.ToHexString(userData) + " 654321", NewDigest(), DateTimeOffset.UtcNow) with
        {
            Flags = [InboundFlags.Binary],
            Raw = Raw(0x04, userData, lease.Number[1..]),
        };

        var result = await Inbound.AcceptAsync(message);
        var stored = Assert.Single(await MessagesAsync(lease.LeaseId));
        var flagged = Assert.Single(await Store.ListFlaggedAsync(InboundFlags.Binary, 100), m => m.MessageId == result.MessageId);

        Assert.Equal(InboundOutcome.Delivered, result.Outcome);
        Assert.Null(stored.Code);
        Assert.Equal([InboundFlags.Binary], flagged.Flags);
        Assert.Equal(userData, flagged.Raw!.UserData);
        Assert.Equal((byte)0x04, flagged.Raw.DataCoding);
        Assert.Equal((byte)0x40, flagged.Raw.EsmClass);
        Assert.Equal([0x02, 0x04, 0x00, 0x02, 0x00, 0x07], flagged.Raw.Tlvs);
        Assert.Equal(lease.Number[1..], flagged.Raw.DestinationAddress);
        Assert.True(flagged.Routed);
    }

    [Fact]
    public async Task An_unroutable_message_is_stored_flagged_and_reaches_no_lease_even_on_a_leased_number()
    {
        var lease = await LeaseAsync();
        var message = Mo(lease.Number, "Your code is 777111", NewDigest(), DateTimeOffset.UtcNow) with
        {
            Flags = [InboundFlags.Unroutable],
            Raw = Raw(0x00, "Your code is 777111"u8.ToArray(), "00" + lease.Number[1..], "destination TON 2 is not international"),
        };
        var odd = Mo("0851-NOT-E164", "Hello", NewDigest(), DateTimeOffset.UtcNow) with { Flags = [InboundFlags.Unroutable] };

        var result = await Inbound.AcceptAsync(message);
        var again = await Inbound.AcceptAsync(message with { ReceivedAt = message.ReceivedAt.AddSeconds(2) });
        var oddResult = await Inbound.AcceptAsync(odd);
        var unroutable = await Store.ListFlaggedAsync(InboundFlags.Unroutable, 100);

        Assert.Equal(InboundOutcome.Unsolicited, result.Outcome);
        Assert.Equal((InboundOutcome.Duplicate, result.MessageId), (again.Outcome, again.MessageId));
        Assert.Equal(InboundOutcome.Unsolicited, oddResult.Outcome);
        Assert.Empty(await MessagesAsync(lease.LeaseId));
        var stored = Assert.Single(unroutable, m => m.MessageId == result.MessageId);
        Assert.Equal("destination TON 2 is not international", stored.Raw!.Problem);
        Assert.Contains(unroutable, m => m.MessageId == oddResult.MessageId && m.Number == "0851-NOT-E164");
        Assert.True(await fixture.Database.ScalarAsync<bool>($"SELECT routed AND lease_id IS NULL AND code = '777111' FROM messages WHERE message_id = '{result.MessageId}'"));
    }

    [Fact]
    public async Task Operators_list_flagged_and_unrouted_messages_newest_first_by_flag_within_a_limit()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeSeconds()); // whole seconds: the database keeps microseconds
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var flags = i % 2 == 0 ? new[] { InboundFlags.Compressed } : [InboundFlags.ReservedCoding, InboundFlags.Undecodable];
            var stored = await Store.StoreAsync(Mo("+85290000000", $"raw {i}", NewDigest(), start.AddMinutes(i)) with { Flags = flags }, null);
            ids.Add(stored.MessageId);
        }

        var unrouted = await Store.StoreAsync(Mo("+85290000001", "plain, never routed", NewDigest(), start.AddMinutes(10)), null);
        var plainRouted = await Store.StoreAsync(Mo("+85290000002", "plain, routed", NewDigest(), start.AddMinutes(11)), null);
        await fixture.Database.ExecuteAsync($"UPDATE messages SET routed = true WHERE message_id = '{plainRouted.MessageId}'");

        var all = (await Store.ListFlaggedAsync(null, 500, start.AddMinutes(12))).Where(m => m.ReceivedAt >= start).ToList();
        var undecodable = (await Store.ListFlaggedAsync(InboundFlags.Undecodable, 500, start.AddMinutes(12))).Where(m => m.ReceivedAt >= start).ToList();
        var page = await Store.ListFlaggedAsync(null, 2, start.AddMinutes(12));
        var nextPage = await Store.ListFlaggedAsync(null, 2, page[^1].ReceivedAt);
        var clamped = await Store.ListFlaggedAsync(null, 0, start.AddMinutes(12));

        Assert.Equal([unrouted.MessageId, ids[3], ids[2], ids[1], ids[0]], all.Select(m => m.MessageId));
        Assert.Equal([ids[3], ids[1]], undecodable.Select(m => m.MessageId));
        Assert.Equal([unrouted.MessageId, ids[3]], page.Select(m => m.MessageId));
        Assert.Equal([ids[2], ids[1]], nextPage.Select(m => m.MessageId));
        Assert.Single(clamped);
        Assert.False(all[0].Routed);
        Assert.Equal([InboundFlags.ReservedCoding, InboundFlags.Undecodable], all[1].Flags);
    }

    [Fact]
    public async Task The_same_MO_three_seconds_apart_across_a_five_minute_boundary_reaches_the_tenant_once()
    {
        var lease = await LeaseAsync();
        var now = DateTimeOffset.UtcNow;
        var boundary = new DateTimeOffset(now.Ticks - (now.Ticks % Window.Ticks), TimeSpan.Zero);
        var digest = NewDigest();

        var first = await Inbound.AcceptAsync(Mo(lease.Number, "Telegram code 31415", digest, boundary.AddSeconds(-1.5)));
        var second = await Inbound.AcceptAsync(Mo(lease.Number, "Telegram code 31415", digest, boundary.AddSeconds(1.5)));

        Assert.Equal(InboundOutcome.Delivered, first.Outcome);
        Assert.Equal((InboundOutcome.Duplicate, first.MessageId), (second.Outcome, second.MessageId));
        Assert.Single(await MessagesAsync(lease.LeaseId));
    }

    [Fact]
    public async Task The_same_MO_six_minutes_apart_is_two_messages()
    {
        var lease = await LeaseAsync();
        var digest = NewDigest();
        var at = DateTimeOffset.UtcNow.AddMinutes(-6);

        var first = await Inbound.AcceptAsync(Mo(lease.Number, "Telegram code 27182", digest, at));
        var second = await Inbound.AcceptAsync(Mo(lease.Number, "Telegram code 27182", digest, at.AddMinutes(6)));

        Assert.Equal(InboundOutcome.Delivered, first.Outcome);
        Assert.Equal(InboundOutcome.Delivered, second.Outcome);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.Equal(2, (await MessagesAsync(lease.LeaseId)).Count);
    }

    [Fact]
    public async Task Concurrent_stores_of_one_MO_make_one_row()
    {
        var digest = NewDigest();
        var at = DateTimeOffset.UtcNow;
        var stores = Enumerable.Range(0, 12).Select(i => Task.Run(() => Store.StoreAsync(Mo("+85290000009", "Code 161803", digest, at.AddMilliseconds(i * 100)), null)));

        var stored = await Task.WhenAll(stores);

        Assert.Single(stored, s => s.Inserted);
        Assert.Single(stored.Select(s => s.MessageId).Distinct());
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM messages WHERE dedup_key = '{digest}'"));
    }

    [Fact]
    public async Task A_copy_of_an_MO_stored_but_never_routed_is_routed_by_the_copy()
    {
        var lease = await LeaseAsync();
        var digest = NewDigest();
        var at = DateTimeOffset.UtcNow;
        var stored = await Store.StoreAsync(Mo(lease.Number, "Telegram code 14142", digest, at), null);

        var copy = await Inbound.AcceptAsync(Mo(lease.Number, "Telegram code 14142", digest, at.AddSeconds(20)));

        Assert.Equal((InboundOutcome.Delivered, stored.MessageId), (copy.Outcome, copy.MessageId));
        Assert.Equal(stored.MessageId, Assert.Single(await MessagesAsync(lease.LeaseId)).MessageId);
    }

    [Fact]
    public async Task A_new_long_message_reusing_the_reference_right_after_the_last_one_is_delivered_in_full()
    {
        var lease = await LeaseAsync();
        var first1 = await PartAsync(Mo(lease.Number, "Your Telegram code ", NewDigest(), DateTimeOffset.UtcNow), 42, 2, 1);
        var first2 = await PartAsync(Mo(lease.Number, "is 111111. Do not share it.", NewDigest(), DateTimeOffset.UtcNow), 42, 2, 2);
        var second1 = await PartAsync(Mo(lease.Number, "Your Telegram code ", NewDigest(), DateTimeOffset.UtcNow.AddSeconds(3)), 42, 2, 1);
        var second2 = await PartAsync(Mo(lease.Number, "is 222222. Do not share it.", NewDigest(), DateTimeOffset.UtcNow.AddSeconds(3)), 42, 2, 2);

        var messages = await MessagesAsync(lease.LeaseId);

        // The new message's first part repeats the last one's word for word: acknowledged as a duplicate,
        // held, and taken by the new message when its second part arrives.
        Assert.Equal([InboundOutcome.PartAccepted, InboundOutcome.Delivered, InboundOutcome.Duplicate, InboundOutcome.Delivered],
            [first1.Outcome, first2.Outcome, second1.Outcome, second2.Outcome]);
        Assert.Equal(["Your Telegram code is 111111. Do not share it.", "Your Telegram code is 222222. Do not share it."], messages.Select(m => m.Text));
        Assert.Equal(["111111", "222222"], messages.Select(m => m.Code));
        Assert.All(messages, m => Assert.False(m.Incomplete));
    }

    [Fact]
    public async Task A_new_long_message_with_other_words_reusing_the_reference_is_delivered_in_full()
    {
        var lease = await LeaseAsync();
        await PartAsync(Mo(lease.Number, "Your Telegram code ", NewDigest(), DateTimeOffset.UtcNow), 45, 2, 1);
        await PartAsync(Mo(lease.Number, "is 121212.", NewDigest(), DateTimeOffset.UtcNow), 45, 2, 2);
        var second2 = await PartAsync(Mo(lease.Number, "is 343434.", NewDigest(), DateTimeOffset.UtcNow.AddSeconds(2)), 45, 2, 2);
        var second1 = await PartAsync(Mo(lease.Number, "Your WhatsApp code ", NewDigest(), DateTimeOffset.UtcNow.AddSeconds(2)), 45, 2, 1);

        var messages = await MessagesAsync(lease.LeaseId);

        Assert.Equal((InboundOutcome.PartAccepted, InboundOutcome.Delivered), (second2.Outcome, second1.Outcome));
        Assert.Equal(["Your Telegram code is 121212.", "Your WhatsApp code is 343434."], messages.Select(m => m.Text));
    }

    [Fact]
    public async Task A_part_sent_again_after_its_message_was_delivered_is_dropped()
    {
        var lease = await LeaseAsync();
        var part1 = Mo(lease.Number, "Your Telegram code ", NewDigest(), DateTimeOffset.UtcNow);
        var part2 = Mo(lease.Number, "is 333333.", NewDigest(), DateTimeOffset.UtcNow);
        await PartAsync(part1, 43, 2, 1);
        var delivered = await PartAsync(part2, 43, 2, 2);

        var again = await PartAsync(part2 with { ReceivedAt = part2.ReceivedAt.AddSeconds(5) }, 43, 2, 2);
        var firstAgain = await PartAsync(part1 with { ReceivedAt = part1.ReceivedAt.AddSeconds(5) }, 43, 2, 1);

        Assert.Equal((InboundOutcome.Duplicate, delivered.MessageId), (again.Outcome, again.MessageId));
        Assert.Equal(InboundOutcome.Duplicate, firstAgain.Outcome);
        Assert.Equal("Your Telegram code is 333333.", Assert.Single(await MessagesAsync(lease.LeaseId)).Text);
    }

    [Fact]
    public async Task A_part_conflicting_with_an_open_message_releases_it_incomplete_and_starts_a_new_one()
    {
        var lease = await LeaseAsync();
        var open = await PartAsync(Mo(lease.Number, "Your code is 4444", NewDigest(), DateTimeOffset.UtcNow), 44, 3, 1);
        var conflicting = await PartAsync(Mo(lease.Number, "Your code is 5555", NewDigest(), DateTimeOffset.UtcNow), 44, 3, 1);
        var released = await Eventually.ReturnsAsync(() => MessagesAsync(lease.LeaseId), m => m.Count == 1, TimeSpan.FromSeconds(10), "the first message released incomplete");
        var rest2 = await PartAsync(Mo(lease.Number, "55. Valid ", NewDigest(), DateTimeOffset.UtcNow), 44, 3, 2);
        var rest3 = await PartAsync(Mo(lease.Number, "5 minutes.", NewDigest(), DateTimeOffset.UtcNow), 44, 3, 3);

        var messages = await MessagesAsync(lease.LeaseId);

        Assert.Equal(InboundOutcome.PartAccepted, open.Outcome);
        Assert.Equal(InboundOutcome.PartAccepted, conflicting.Outcome);
        Assert.Equal("Your code is 4444[…][…]", released[0].Text);
        Assert.True(released[0].Incomplete);
        Assert.Equal(InboundOutcome.PartAccepted, rest2.Outcome);
        Assert.Equal(InboundOutcome.Delivered, rest3.Outcome);
        Assert.Equal(2, messages.Count);
        Assert.Equal("Your code is 555555. Valid 5 minutes.", messages[1].Text);
        Assert.False(messages[1].Incomplete);
    }

    [Fact]
    public async Task Text_with_a_NUL_or_half_a_surrogate_pair_is_stored_once_with_replacement_characters()
    {
        var lease = await LeaseAsync();
        var digest = NewDigest();

        var first = await Inbound.AcceptAsync(Mo(lease.Number, "code 660001 \0 x \uD83D", digest, DateTimeOffset.UtcNow));
        var again = await Inbound.AcceptAsync(Mo(lease.Number, "code 660001 \0 x \uD83D", digest, DateTimeOffset.UtcNow));
        var stored = Assert.Single(await Inbound.ListForLeaseAsync(lease.LeaseId));

        Assert.Equal(InboundOutcome.Delivered, first.Outcome);
        Assert.Equal(InboundOutcome.Duplicate, again.Outcome);
        Assert.Equal("code 660001 \uFFFD x \uFFFD", stored.Text);
        Assert.Equal("660001", stored.Code);
    }

    [Fact]
    public async Task A_valid_number_that_is_not_one_of_Pools_is_stored_flagged_unroutable_and_routing_ends()
    {
        var number = "+85290000" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await Inbound.AcceptAsync(Mo(number, "Your code is 123456", NewDigest(), DateTimeOffset.UtcNow));
        var flagged = (await Store.ListFlaggedAsync(InboundFlags.Unroutable, 500)).Single(m => m.MessageId == result.MessageId);

        Assert.Equal(InboundOutcome.Unsolicited, result.Outcome);
        Assert.True(flagged.Routed, "routing is finished: a retry would not make the number Pool's");
        Assert.Equal(number, flagged.Number);
    }
}
