using System.Diagnostics;
using Grpc.Core;
using Pool.V1;

namespace Pool.Client.Tests;

/// <summary>How many attempts a call makes, counted exactly on a scripted server, and what each attempt carries.</summary>
public sealed class RetryTests
{
    private const string Key = "pool_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
    private static readonly Uri s_address = new("http://pool.test:7400");
    private static readonly Lease s_lease = new() { LeaseId = "ls_1", Number = "+85251234567" };

    private static PoolClient Client(ScriptedGrpcHandler handler, Action<PoolRetryOptions>? retry = null)
    {
        var options = new PoolClientOptions
        {
            Address = s_address,
            ApiKey = Key,
            HttpHandler = handler,
            Retry = { InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) },
        };
        retry?.Invoke(options.Retry);
        return new PoolClient(options);
    }

    [Fact]
    public async Task UNAVAILABLE_twice_then_OK_takes_three_attempts_carrying_the_same_key_and_the_same_generated_idempotency_key()
    {
        var handler = new ScriptedGrpcHandler(s_lease, (StatusCode.Unavailable, null), (StatusCode.Unavailable, null));
        using var client = Client(handler);
        var request = new CreateLeaseRequest { Country = "HK", Service = "telegram" };

        var lease = await client.Leases.CreateLeaseAsync(request);

        var attempts = handler.Attempts.ToList();
        var sent = attempts.Select(a => CreateLeaseRequest.Parser.ParseFrom(a.Body)).ToList();
        Assert.Equal(s_lease, lease);
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("/pool.v1.Leases/CreateLease", a.Path));
        Assert.All(attempts, a => Assert.Equal($"Bearer {Key}", a.Authorization));
        Assert.StartsWith(IdempotencyKeys.Prefix, sent[0].IdempotencyKey, StringComparison.Ordinal);
        Assert.All(sent, s => Assert.Equal(sent[0], s)); // every attempt is the same call: same fields, same key
        Assert.Equal("", request.IdempotencyKey); // the caller's request is left as it was
    }

    [Fact]
    public async Task Each_call_gets_its_own_idempotency_key_and_a_key_the_caller_set_is_sent_unchanged()
    {
        var handler = new ScriptedGrpcHandler(s_lease);
        using var client = Client(handler);
        var request = new CreateLeaseRequest { Country = "HK", Service = "telegram" };

        await client.Leases.CreateLeaseAsync(request);
        await client.Leases.CreateLeaseAsync(request);
        await client.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Service = "telegram", IdempotencyKey = "order-42" });
        await client.Leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = "ls_1" });

        var keys = handler.Attempts.Take(3).Select(a => CreateLeaseRequest.Parser.ParseFrom(a.Body).IdempotencyKey).ToList();
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Equal("order-42", keys[2]);
        Assert.Equal(new GetLeaseRequest { LeaseId = "ls_1" }, GetLeaseRequest.Parser.ParseFrom(handler.Attempts.Last().Body)); // a read has no key to fill
    }

    [Fact]
    public async Task With_retries_disabled_one_UNAVAILABLE_fails_the_call_and_no_key_is_added()
    {
        var handler = new ScriptedGrpcHandler(s_lease, (StatusCode.Unavailable, null));
        using var client = Client(handler, retry => retry.Enabled = false);

        var failed = await Assert.ThrowsAsync<RpcException>(async () => await client.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Service = "telegram" }));

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Single(handler.Attempts);
        Assert.Equal("", CreateLeaseRequest.Parser.ParseFrom(handler.Attempts.Single().Body).IdempotencyKey);
    }

    [Fact]
    public async Task A_call_that_stays_UNAVAILABLE_makes_MaxAttempts_attempts_then_fails_with_UNAVAILABLE()
    {
        var handler = new ScriptedGrpcHandler(s_lease, Enumerable.Repeat((StatusCode.Unavailable, (TimeSpan?)null), 10).ToArray());
        using var client = Client(handler, retry => retry.MaxAttempts = 4);

        var failed = await Assert.ThrowsAsync<RpcException>(async () => await client.Leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = "ls_1" }));

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Equal(4, handler.Attempts.Count);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Internal)]
    public async Task Only_UNAVAILABLE_is_retried(StatusCode code)
    {
        var handler = new ScriptedGrpcHandler(s_lease, (code, null));
        using var client = Client(handler);

        var failed = await Assert.ThrowsAsync<RpcException>(async () => await client.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK" }));

        Assert.Equal(code, failed.StatusCode);
        Assert.Single(handler.Attempts);
    }

    [Fact]
    public async Task A_RetryInfo_delay_in_an_UNAVAILABLE_answer_is_waited_before_the_next_attempt()
    {
        var delay = TimeSpan.FromMilliseconds(400);
        var handler = new ScriptedGrpcHandler(s_lease, (StatusCode.Unavailable, delay), (StatusCode.Unavailable, delay));
        using var client = Client(handler, retry => retry.MaxBackoff = TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();

        await client.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Service = "telegram" });

        // Without the RetryInfo the backoff would be a random share of 10 ms, then 20 ms.
        Assert.Equal(3, handler.Attempts.Count);
        Assert.True(clock.Elapsed >= 2 * delay - TimeSpan.FromMilliseconds(20), $"two RetryInfo delays of {delay.TotalMilliseconds} ms were waited; the call took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_RetryInfo_delay_longer_than_MaxBackoff_is_capped_at_MaxBackoff()
    {
        var handler = new ScriptedGrpcHandler(s_lease, (StatusCode.Unavailable, TimeSpan.FromMinutes(10)));
        using var client = Client(handler, retry => retry.MaxBackoff = TimeSpan.FromMilliseconds(200));
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await client.Leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Service = "telegram" }, cancellationToken: bound.Token);

        Assert.Equal(2, handler.Attempts.Count);
    }

    [Theory]
    [InlineData("CAgSAmJ1GhUKE2dvb2dsZS5ycGMuUmV0cnlJbmZv", null)] // a Status whose detail is cut off: unreadable
    [InlineData("not base64 at all!", null)]
    [InlineData("", null)]
    public void An_unreadable_status_detail_gives_no_pushback(string header, TimeSpan? expected)
    {
        Assert.Equal(expected, RetryInfoPushback.DelayOf(header));
    }
}
