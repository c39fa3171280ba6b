using Npgsql;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Contracts.Leases;
using Pool.Testing;

namespace Pool.Grains.Tests.Inbound;

/// <summary>
/// PostgreSQL stopped while a batch of the tenant's inbox is being written, on a server of the test's own:
/// every caller of that batch (and every message arriving during the outage) hears UNAVAILABLE, and once the
/// server is back the carriers' retries put each message on the stream exactly once, with no cursor skipped.
/// </summary>
public sealed class InboxOutageTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Messages_whose_batch_was_in_flight_when_PostgreSQL_stopped_are_unavailable_and_after_it_is_back_their_retries_reach_the_stream_once()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        // Not dropped: it goes with the private server's files, even when the test fails while the server is down.
        var database = await TestDatabase.CreateAsync(postgres.ServerConnectionString);
        var cluster = await PoolCluster.StartAsync(database, $"svc-{Guid.NewGuid():n}"[..16], silos: 1);
        try
        {
            var grains = cluster.Client;
            const string tenant = "outage-co";
            var (poolId, _) = await TestPools.CreateAsync(grains, 2);
            var leases = new List<LeaseInfo>();
            for (var i = 0; i < 2; i++)
            {
                leases.Add(await grains.GetGrain<ILeaseGrain>(LeaseIds.NewRandom()).OpenAsync(new LeaseRequest(tenant, "HK", poolId, "telegram", TimeSpan.FromMinutes(20))));
            }

            await database.ExecuteAsync($"""
                INSERT INTO webhook_endpoints (endpoint_id, tenant_id, url, secret, created_at)
                VALUES ('we_outage', '{tenant}', 'http://127.0.0.1:9/hook', 'whsec_test', now())
                """);
            var inbound = grains.GetGrain<IInboundGrain>(0);
            var messages = Enumerable.Range(0, 10)
                .Select(i => new InboundMessage("test", $"outage-{i}", "Telegram", leases[i % 2].Number, $"Your Telegram code is {300000 + i}", DateTimeOffset.UtcNow))
                .ToList();

            // The appends wait on the held outbox table, so PostgreSQL stops while one is in flight.
            var holder = database.Connect();
            var hold = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE webhook_deliveries IN EXCLUSIVE MODE", holder, hold))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            var attempts = messages.Select(m => inbound.AcceptAsync(m)).ToList();
            await Eventually.ReturnsAsync(
                () => database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%tenant_seq = $4%'"),
                n => n == 1,
                s_wait,
                "an inbox append waiting for the outbox table");
            await postgres.StopAsync();
            var failures = new List<PoolException>();
            var unanswered = new List<InboundMessage>();
            for (var i = 0; i < attempts.Count; i++)
            {
                try
                {
                    Assert.Equal(InboundOutcome.Delivered, (await attempts[i]).Outcome);
                }
                catch (PoolException ex)
                {
                    failures.Add(ex);
                    unanswered.Add(messages[i]);
                }
            }

            await DisposeQuietlyAsync(hold, holder);
            await postgres.StartAgainAsync();
            var retried = new List<InboundResult>();
            foreach (var message in unanswered)
            {
                retried.Add(await RetryAsync(() => inbound.AcceptAsync(message))); // The carrier's retry of what it was not acknowledged.
            }

            var stream = await grains.GetGrain<ITenantInboxGrain>(tenant).WaitAsync(0, TimeSpan.Zero);
            var deliveries = await database.ScalarAsync<long>($"SELECT count(DISTINCT message_id) FROM webhook_deliveries WHERE tenant_id = '{tenant}'");
            var rows = await database.ScalarAsync<long>($"SELECT count(*) FROM webhook_deliveries WHERE tenant_id = '{tenant}'");

            Assert.NotEmpty(failures);
            Assert.All(failures, f => Assert.Equal(PoolErrorCode.Unavailable, f.Code));
            Assert.All(retried, r => Assert.Contains(r.Outcome, new[] { InboundOutcome.Delivered, InboundOutcome.Duplicate }));
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), stream.Select(m => m.Cursor));
            Assert.Equal(
                Enumerable.Range(0, 10).Select(i => $"{300000 + i}").Order(StringComparer.Ordinal),
                stream.Select(m => m.Code!).Order(StringComparer.Ordinal));
            Assert.Equal((10L, 10L), (deliveries, rows));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private static async Task DisposeQuietlyAsync(NpgsqlTransaction hold, NpgsqlConnection holder)
    {
        try
        {
            await hold.DisposeAsync();
            await holder.DisposeAsync();
        }
        catch (NpgsqlException)
        {
            // The server cut the session when it stopped.
        }
    }

    /// <summary>A carrier's retry: again after a short pause while Pool answers UNAVAILABLE.</summary>
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
                await Task.Delay(200);
            }
        }
    }
}
