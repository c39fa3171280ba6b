using System.Text.Json;
using Grpc.Core;
using Pool.Carriers.Http;
using Pool.Testing;
using Pool.V1;

namespace Pool.Client.Tests;

/// <summary>The resumable <see cref="PoolClient.WatchAllMessagesAsync"/>: across a restart of Pool, from a cursor, and its ends.</summary>
public sealed class WatchTests(ClientPoolFixture fixture) : IClassFixture<ClientPoolFixture>
{
    private const string Carrier = ClientPoolFixture.Carrier;
    private const string CarrierSecret = ClientPoolFixture.CarrierSecret;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Across_a_kill_and_restart_of_Pool_the_watch_yields_every_message_exactly_once_in_cursor_order()
    {
        await using var database = await TestDatabase.CreateAsync();
        var ports = FreePorts.Take(4);
        var settings = new Dictionary<string, string> { [$"Pool:Carriers:{Carrier}:Secret"] = CarrierSecret };
        var first = await SiloProcess.StartAsync(database, ports, settings);
        SiloProcess? second = null;
        try
        {
            using var admin = new PoolClient(first.GrpcAddress, first.AdminKey);
            await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = "watcher", Name = "Watcher Ltd" });
            var key = (await admin.Tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "watcher" })).Secret;
            await admin.Numbers.AddNumbersAsync(new AddNumbersRequest { Pool = "watch", Country = "HK", Numbers = { "+85251880001" } });
            using var tenant = new PoolClient(new PoolClientOptions
            {
                Address = new Uri(first.GrpcAddress),
                ApiKey = key,
                Watch = { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(1) },
            });
            var lease = await tenant.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = "watch", Service = "telegram" });
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var received = new List<Message>();
            var watching = Task.Run(async () =>
            {
                await foreach (var message in tenant.WatchAllMessagesAsync(cancellationToken: stop.Token))
                {
                    lock (received)
                    {
                        received.Add(message);
                    }
                }
            });
            Task<int> Count()
            {
                lock (received)
                {
                    return Task.FromResult(received.Count);
                }
            }

            for (var i = 1; i <= 3; i++)
            {
                await SendAsync($"http://127.0.0.1:{ports[3]}", $"before-{i}", lease.Number, $"Your Telegram code is 1100{i}");
            }

            await Eventually.ReturnsAsync(Count, n => n >= 3, s_wait, "the three messages sent before the restart");
            first.Kill();
            await Assert.ThrowsAnyAsync<Exception>(() => SendAsync($"http://127.0.0.1:{ports[3]}", "while-down", lease.Number, "Your Telegram code is 99999"));
            second = await SiloProcess.StartAsync(database, ports, settings);
            for (var i = 1; i <= 3; i++)
            {
                await SendAsync($"http://127.0.0.1:{ports[3]}", $"after-{i}", lease.Number, $"Your Telegram code is 2200{i}");
            }

            await Eventually.ReturnsAsync(Count, n => n >= 6, s_wait, "the three messages sent after the restart, on the reconnected watch");
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);

            List<Message> all;
            lock (received)
            {
                all = [.. received];
            }

            Assert.Equal(["11001", "11002", "11003", "22001", "22002", "22003"], all.Select(m => m.Code));
            Assert.Equal(all.Count, all.Select(m => m.MessageId).Distinct().Count());
            Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Cursor < p.Second.Cursor), $"cursors rise: {string.Join(", ", all.Select(m => m.Cursor))}");
            Assert.All(all, m => Assert.Equal(lease.LeaseId, m.LeaseId));
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    [Fact]
    public async Task A_watch_from_a_cursor_starts_with_the_message_after_it()
    {
        var (client, lease) = await TenantWithLeaseAsync();
        using (client)
        {
            for (var i = 1; i <= 3; i++)
            {
                await SendAsync(fixture.Pool.HttpAddress, $"{lease.LeaseId}-{i}", lease.Number, $"Your Telegram code is 3300{i}");
            }

            using var stop = new CancellationTokenSource(s_wait);
            var all = await TakeAsync(client.WatchAllMessagesAsync(0, stop.Token), 3);
            var afterFirst = await TakeAsync(client.WatchAllMessagesAsync(all[0].Cursor, stop.Token), 2);

            Assert.Equal(["33001", "33002", "33003"], all.Select(m => m.Code));
            Assert.Equal(all.Skip(1).Select(m => m.MessageId), afterFirst.Select(m => m.MessageId));
            Assert.Throws<ArgumentOutOfRangeException>(() => client.WatchAllMessagesAsync(-1, stop.Token));
        }
    }

    [Fact]
    public async Task A_key_that_is_refused_is_thrown_at_once_not_retried()
    {
        using var client = new PoolClient(fixture.Pool.GrpcAddress, "pool_0123456789ab_" + new string('z', 43));
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var message in client.WatchAllMessagesAsync(0, bound.Token))
            {
                Assert.Fail($"no message for a refused key: {message.MessageId}");
            }
        });

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.False(bound.IsCancellationRequested, "the refusal came at once, not after retrying until the bound");
    }

    [Fact]
    public async Task Cancelling_ends_the_watch_with_OperationCanceledException()
    {
        var (_, key) = await fixture.NewTenantAsync();
        using var client = new PoolClient(fixture.Pool.GrpcAddress, key);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var message in client.WatchAllMessagesAsync(0, stop.Token))
            {
                Assert.Fail($"the tenant has no messages: {message.MessageId}");
            }
        });

        Assert.True(stop.IsCancellationRequested);
    }

    [Fact]
    public async Task A_watch_that_cannot_get_a_stream_back_throws_the_last_error_after_GiveUpAfter()
    {
        var nothingListens = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        using var client = new PoolClient(new PoolClientOptions
        {
            Address = nothingListens,
            ApiKey = "pool_0123456789ab_" + new string('g', 43),
            Retry = { Enabled = false },
            Watch = { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(200), GiveUpAfter = TimeSpan.FromSeconds(1) },
        });
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var gaveUp = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var message in client.WatchAllMessagesAsync(0, bound.Token))
            {
                Assert.Fail($"nothing listens: {message.MessageId}");
            }
        });

        Assert.Equal(StatusCode.Unavailable, gaveUp.StatusCode);
        Assert.False(bound.IsCancellationRequested, "the watch gave up on its own, well before the test's bound");
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, null, true)]
    [InlineData(StatusCode.Internal, "io", true)]
    [InlineData(StatusCode.Cancelled, "io", true)]
    [InlineData(StatusCode.Internal, null, false)]
    [InlineData(StatusCode.Unauthenticated, null, false)]
    [InlineData(StatusCode.PermissionDenied, null, false)]
    [InlineData(StatusCode.InvalidArgument, null, false)]
    [InlineData(StatusCode.ResourceExhausted, null, false)]
    public void Only_UNAVAILABLE_and_a_cut_connection_are_reconnected(StatusCode code, string? cause, bool reconnected)
    {
        var status = cause is null ? new Status(code, "x") : new Status(code, "x", new IOException("The response ended prematurely."));

        Assert.Equal(reconnected, ResumableWatch.IsTransient(new RpcException(status)));
    }

    private async Task<(PoolClient Client, Lease Lease)> TenantWithLeaseAsync()
    {
        var (tenant, key) = await fixture.NewTenantAsync();
        var number = $"+8525199{Math.Abs(tenant.GetHashCode()) % 10000:D4}";
        await fixture.Admin.Numbers.AddNumbersAsync(new AddNumbersRequest { Pool = tenant, Country = "HK", Numbers = { number } });
        var client = new PoolClient(fixture.Pool.GrpcAddress, key);
        return (client, await client.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = tenant, Service = "telegram" }));
    }

    private static async Task<List<Message>> TakeAsync(IAsyncEnumerable<Message> messages, int count)
    {
        var taken = new List<Message>();
        if (count == 0)
        {
            return taken;
        }

        await foreach (var message in messages)
        {
            taken.Add(message);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }

    /// <summary>An SMS from the HTTP carrier "sim" to <paramref name="to"/>, signed as Pool expects; throws unless Pool took it.</summary>
    private static async Task SendAsync(string httpAddress, string id, string to, string text)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message_id"] = id, ["from"] = "Telegram", ["to"] = to, ["text"] = text, ["encoding"] = "text" });
        using var http = new HttpClient();
        using var request = CarrierSignature.SignedPost(new Uri($"{httpAddress}/carriers/{Carrier}/messages"), CarrierSecret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
