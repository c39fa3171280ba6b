using System.Globalization;
using Npgsql;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Contracts.Leases;
using Pool.Testing;

namespace Pool.Grains.Tests.Inbound;

/// <summary>
/// The tenant's inbox under load and faults, on a two-silo cluster and a real PostgreSQL: appends that
/// arrive together share one commit (the grain is reentrant for that), cursors stay consecutive with no
/// hole, a batch that fails answers every caller UNAVAILABLE and loses nothing once they retry, and an
/// activation that finds its cursors taken steps aside.
/// </summary>
public sealed class TenantInboxTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static int s_messages;

    private IGrainFactory Grains => fixture.Grains;

    private static string NewTenant() => $"inbox-{Guid.NewGuid():n}"[..20];

    private static InboundMessage Sms(string number, string text) =>
        new("test", $"inbox-{Interlocked.Increment(ref s_messages)}-{Guid.NewGuid():n}", "Telegram", number, text, DateTimeOffset.UtcNow);

    /// <summary><paramref name="count"/> live leases of <paramref name="tenant"/>, each on its own number.</summary>
    private async Task<IReadOnlyList<LeaseInfo>> LeasesAsync(string tenant, int count)
    {
        var (poolId, _) = await TestPools.CreateAsync(Grains, count);
        var leases = new List<LeaseInfo>();
        for (var i = 0; i < count; i++)
        {
            leases.Add(await Grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest(tenant, "HK", poolId, "telegram", TimeSpan.FromMinutes(20))));
        }

        return leases;
    }

    /// <summary>A webhook endpoint of the tenant, written as the webhooks grain writes one (its URL refuses connections: deliveries stay queued).</summary>
    private Task AddEndpointAsync(string tenant) => fixture.Database.ExecuteAsync($"""
        INSERT INTO webhook_endpoints (endpoint_id, tenant_id, url, secret, created_at)
        VALUES ('we_{Guid.NewGuid():n}', '{tenant}', 'http://127.0.0.1:9/hook', 'whsec_test', now())
        """);

    /// <summary>A message stored attached to <paramref name="leaseId"/> and not yet handed to a tenant, as the inbound grain leaves it before the append.</summary>
    private async Task<string> StoredAsync(string leaseId)
    {
        var id = $"msg_{Guid.NewGuid():n}";
        await fixture.Database.ExecuteAsync($"""
            INSERT INTO messages (message_id, carrier, carrier_message_id, sender_masked, number, body, received_at, lease_id, code, service)
            VALUES ('{id}', 'test', '{id}', 'Telegram', '+85290000000', 'Telegram code 12345', now(), '{leaseId}', '12345', 'Telegram')
            """);
        return id;
    }

    /// <summary>Everything on the tenant's stream from the start, page by page.</summary>
    private async Task<List<StoredMessage>> StreamAsync(string tenant)
    {
        var inbox = Grains.GetGrain<ITenantInboxGrain>(tenant);
        var all = new List<StoredMessage>();
        while (true)
        {
            var page = await inbox.WaitAsync(all.Count == 0 ? 0 : all[^1].Cursor, TimeSpan.Zero);
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
        }
    }

    private async Task<(long Rows, long Messages)> DeliveriesAsync(string tenant)
    {
        await using var connection = fixture.Database.Connect();
        await using var command = new NpgsqlCommand($"SELECT count(*), count(DISTINCT message_id) FROM webhook_deliveries WHERE tenant_id = '{tenant}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The server processes of this test database running the inbox append and waiting for a lock.</summary>
    private Task<long> BlockedAppendsAsync() => fixture.Database.ScalarAsync<long>("""
        SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%tenant_seq = $4%'
        """);

    [Fact]
    public async Task Many_concurrent_messages_to_one_tenant_get_consecutive_cursors_and_each_reaches_the_stream_and_the_webhook_outbox_once()
    {
        var tenant = NewTenant();
        var leases = await LeasesAsync(tenant, 4);
        await AddEndpointAsync(tenant);
        var waiting = Grains.GetGrain<ITenantInboxGrain>(tenant).WaitAsync(0, s_wait);
        var inbound = Grains.GetGrain<IInboundGrain>(0);

        var results = await Task.WhenAll(Enumerable.Range(0, 160).Select(i =>
            inbound.AcceptAsync(Sms(leases[i % leases.Count].Number, $"Your Telegram code is {100000 + i}"))));
        var woken = await waiting;
        var stream = await StreamAsync(tenant);

        Assert.All(results, r => Assert.Equal(InboundOutcome.Delivered, r.Outcome));
        Assert.NotEmpty(woken);
        Assert.Equal(Enumerable.Range(1, 160).Select(i => (long)i), stream.Select(m => m.Cursor));
        Assert.Equal(results.Select(r => r.MessageId).Order(StringComparer.Ordinal), stream.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(0, 160).Select(i => (100000 + i).ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), stream.Select(m => m.Code!).Order(StringComparer.Ordinal));
        Assert.All(stream, m => Assert.Contains(leases, l => l.LeaseId == m.LeaseId));
        Assert.Equal((160L, 160L), await DeliveriesAsync(tenant));
    }

    [Fact]
    public async Task Appends_arriving_while_a_write_is_in_flight_wait_for_it_and_then_commit_together_in_one_transaction()
    {
        var tenant = NewTenant();
        var inbox = Grains.GetGrain<ITenantInboxGrain>(tenant);
        var first = await StoredAsync("ls_inbox_test");
        var later = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            later.Add(await StoredAsync("ls_inbox_test"));
        }

        // The first message's row is held by another transaction: the write carrying it cannot finish.
        await using var holder = fixture.Database.Connect();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM messages WHERE message_id = '{first}' FOR UPDATE", holder, hold))
        {
            await lockRow.ExecuteScalarAsync();
        }

        var firstAppend = inbox.AppendAsync(first, "ls_inbox_test");
        await Eventually.ReturnsAsync(BlockedAppendsAsync, n => n == 1, s_wait, "the first append to wait for the held row");
        var laterAppends = later.Select(id => inbox.AppendAsync(id, "ls_inbox_test")).ToList();
        // A call made after the appends and answered: the grain has taken them in (one client's calls to one grain arrive in order).
        await inbox.WaitAsync(long.MaxValue, TimeSpan.Zero);
        var inFlightWhileHeld = await BlockedAppendsAsync();
        var answeredWhileHeld = laterAppends.Count(t => t.IsCompleted) + (firstAppend.IsCompleted ? 1 : 0);
        await hold.RollbackAsync();
        var firstCursor = await firstAppend;
        var laterCursors = await Task.WhenAll(laterAppends);
        var transactions = await fixture.Database.ScalarAsync<long>(
            $"SELECT count(DISTINCT xmin::text) FROM messages WHERE message_id IN ({string.Join(',', later.Select(id => $"'{id}'"))})");
        var stored = await StreamAsync(tenant);

        // One write in flight: no second write started while the first was held, and no caller was answered before its write committed.
        Assert.Equal(1, inFlightWhileHeld);
        Assert.Equal(0, answeredWhileHeld);
        Assert.Equal(1, firstCursor);
        Assert.Equal(Enumerable.Range(2, 40).Select(i => (long)i), laterCursors.Order());
        Assert.True(transactions <= 2, $"the 40 appends queued behind the held write were committed in {transactions} transactions, not together");
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), stored.Select(m => m.Cursor));
        Assert.All(stored, m => Assert.Equal("ls_inbox_test", m.LeaseId));
        for (var i = 0; i < later.Count; i++)
        {
            Assert.Equal(laterCursors[i], stored.Single(m => m.MessageId == later[i]).Cursor); // Each caller is told its own cursor.
        }
    }

    [Fact]
    public async Task A_batch_whose_connection_dies_answers_every_caller_unavailable_and_after_their_retries_each_message_is_on_the_stream_once_with_no_gap()
    {
        var tenant = NewTenant();
        var leases = await LeasesAsync(tenant, 2);
        await AddEndpointAsync(tenant);
        var inbound = Grains.GetGrain<IInboundGrain>(0);
        var messages = Enumerable.Range(0, 12).Select(i => Sms(leases[i % 2].Number, $"Your Telegram code is {200000 + i}")).ToList();

        // Appends (and only appends) wait while the outbox table is held; the first write's server process is then killed.
        await using var holder = fixture.Database.Connect();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE webhook_deliveries IN EXCLUSIVE MODE", holder, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var attempts = messages.Select(m => inbound.AcceptAsync(m)).ToList();
        await Eventually.ReturnsAsync(BlockedAppendsAsync, n => n == 1, s_wait, "an append waiting for the outbox table");
        var killed = await fixture.Database.ScalarAsync<long>("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%tenant_seq = $4%'
            """);
        await hold.RollbackAsync();
        var outcomes = new List<(InboundMessage Message, InboundResult? Result, PoolException? Error)>();
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                outcomes.Add((messages[i], await attempts[i], null));
            }
            catch (PoolException ex)
            {
                outcomes.Add((messages[i], null, ex));
            }
        }

        var failed = outcomes.Where(o => o.Error is not null).ToList();
        var retried = new List<InboundResult>();
        foreach (var (message, _, _) in failed)
        {
            retried.Add(await inbound.AcceptAsync(message)); // The carrier's retry of what it was not acknowledged.
        }

        var stream = await StreamAsync(tenant);

        Assert.Equal(1, killed);
        Assert.NotEmpty(failed);
        Assert.All(failed, f => Assert.Equal(PoolErrorCode.Unavailable, f.Error!.Code));
        Assert.All(outcomes.Where(o => o.Error is null), o => Assert.Equal(InboundOutcome.Delivered, o.Result!.Outcome));
        Assert.All(retried, r => Assert.Equal(InboundOutcome.Delivered, r.Outcome));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), stream.Select(m => m.Cursor));
        Assert.Equal(
            outcomes.Where(o => o.Error is null).Select(o => o.Result!.MessageId).Concat(retried.Select(r => r.MessageId)).Order(StringComparer.Ordinal),
            stream.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal((12L, 12L), await DeliveriesAsync(tenant));
    }

    [Fact]
    public async Task An_inbox_that_finds_its_next_cursor_taken_by_another_activation_answers_unavailable_and_the_retry_gets_the_cursor_after_it()
    {
        var tenant = NewTenant();
        var inbox = Grains.GetGrain<ITenantInboxGrain>(tenant);
        var first = await StoredAsync("ls_inbox_race");
        var second = await StoredAsync("ls_inbox_race");
        var firstCursor = await inbox.AppendAsync(first, "ls_inbox_race");

        // What a duplicate activation of the same inbox leaves: the next cursor given to a message of its own.
        var other = await StoredAsync("ls_inbox_race");
        await fixture.Database.ExecuteAsync($"UPDATE messages SET routed = true, tenant_id = '{tenant}', tenant_seq = 2 WHERE message_id = '{other}'");

        var refused = await Assert.ThrowsAsync<PoolException>(() => inbox.AppendAsync(second, "ls_inbox_race"));
        var notAppended = await fixture.Database.ScalarAsync<bool>($"SELECT tenant_seq IS NULL AND NOT routed FROM messages WHERE message_id = '{second}'");
        var retried = await RetryAsync(() => inbox.AppendAsync(second, "ls_inbox_race"));
        var stream = await StreamAsync(tenant);

        Assert.Equal(1, firstCursor);
        Assert.Equal(PoolErrorCode.Unavailable, refused.Code);
        Assert.True(notAppended, "the refused batch wrote nothing");
        Assert.Equal(3, retried);
        Assert.Equal([(first, 1L), (other, 2L), (second, 3L)], stream.Select(m => (m.MessageId, m.Cursor)));
    }

    [Fact]
    public async Task A_message_appended_twice_keeps_its_first_cursor_and_is_on_the_stream_once()
    {
        var tenant = NewTenant();
        var inbox = Grains.GetGrain<ITenantInboxGrain>(tenant);
        var message = await StoredAsync("ls_inbox_twice");

        var together = await Task.WhenAll(inbox.AppendAsync(message, "ls_inbox_twice"), inbox.AppendAsync(message, "ls_inbox_twice"));
        var again = await inbox.AppendAsync(message, "ls_inbox_twice");
        var next = await inbox.AppendAsync(await StoredAsync("ls_inbox_twice"), "ls_inbox_twice");

        Assert.Equal([1L, 1L], together);
        Assert.Equal(1, again);
        Assert.Equal(2, next);
        Assert.Equal([1L, 2L], (await StreamAsync(tenant)).Select(m => m.Cursor));
    }

    /// <summary>Retries a call refused as UNAVAILABLE, as a caller told to retry does (the stale activation leaves when idle).</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (PoolException ex) when (ex.Code == PoolErrorCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
