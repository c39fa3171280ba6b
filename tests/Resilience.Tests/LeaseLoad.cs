using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Pool.V1;

namespace Pool.Resilience.Tests;

/// <summary>
/// What the load knows about one lease cycle. A lease is certainly held by this client from
/// <see cref="AcknowledgedAt"/> until <see cref="ReleaseSentAt"/> (its TTL is far longer than a run).
/// </summary>
public sealed class LeaseCycle(string idempotencyKey, DateTimeOffset requestedAt)
{
    public string IdempotencyKey { get; } = idempotencyKey;

    public DateTimeOffset RequestedAt { get; } = requestedAt;

    public string? LeaseId { get; set; }

    public string? Number { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>The final status when CreateLease failed after the client's retries.</summary>
    public StatusCode? CreateFailure { get; set; }

    public DateTimeOffset? ReleaseSentAt { get; set; }

    /// <summary>For an abandoned lease: its deadline as CreateLease answered it (the client holds the number until then).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Until when the client certainly holds the number: the release it asked for, or the deadline of an abandoned lease.</summary>
    public DateTimeOffset HeldUntil => ReleaseSentAt ?? ExpiresAt ?? DateTimeOffset.MaxValue;

    public DateTimeOffset? ReleasedAt { get; set; }

    /// <summary>The final status when ReleaseLease failed after the client's retries.</summary>
    public StatusCode? ReleaseFailure { get; set; }
}

/// <summary>
/// Concurrent clients leasing and releasing numbers at a steady pace through <see cref="RetryingClient"/>,
/// every third lease also receiving an inbound SMS from the carrier while it is held. Each worker
/// starts one cycle per <see cref="CyclePeriod"/>: lease, hold, release. Apart from the cycles, a batch of
/// leases can be abandoned: taken with the shortest TTL and never released, so the cluster must expire them.
/// </summary>
public sealed class LeaseLoad(RetryingClient client, CarrierSender carrier, string pool, int workers) : IDisposable
{
    public static readonly TimeSpan CyclePeriod = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan s_hold = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(10);

    /// <summary>The shortest TTL the API accepts (LeasesService.MinTtl): abandoned leases fall due within a scenario.</summary>
    public static readonly TimeSpan AbandonedTtl = TimeSpan.FromMinutes(1);

    private readonly ConcurrentQueue<LeaseCycle> _cycles = new();
    private readonly ConcurrentQueue<LeaseCycle> _abandoned = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _run = Guid.NewGuid().ToString("n")[..8];
    private List<Task> _workers = [];

    public IReadOnlyCollection<LeaseCycle> Cycles => _cycles;

    /// <summary>The leases taken by <see cref="AbandonAsync"/>, never released.</summary>
    public IReadOnlyCollection<LeaseCycle> Abandoned => _abandoned;

    public int Acknowledged => _cycles.Count(c => c.AcknowledgedAt is not null);

    public void Start() => _workers = [.. Enumerable.Range(0, workers).Select(worker => Task.Run(() => RunAsync(worker)))];

    /// <summary>Stops starting cycles and waits for the running ones to end (bounded by the clients' retry budgets).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(RetryingClient.Budget * 3);
    }

    /// <summary>Waits until <paramref name="count"/> more leases were acknowledged than at the call, within a bound.</summary>
    public async Task<TimeSpan> WaitForLeasesAsync(int count, TimeSpan within, string when)
    {
        var target = Acknowledged + count;
        var started = DateTimeOffset.UtcNow;
        await Testing.Eventually.ReturnsAsync(() => Task.FromResult(Acknowledged), n => n >= target, within, $"{count} more leases acknowledged {when}");
        return DateTimeOffset.UtcNow - started;
    }

    /// <summary>
    /// Takes <paramref name="count"/> leases with <see cref="AbandonedTtl"/> (with the retry contract, spread
    /// over the API addresses) and never releases them: the client walks away, the cluster must expire them.
    /// </summary>
    public async Task AbandonAsync(int count)
    {
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"abandon-{_run}-{i}");
            var record = new LeaseCycle(key, DateTimeOffset.UtcNow);
            _abandoned.Enqueue(record);
            try
            {
                var lease = await client.CreateLeaseAsync(
                    new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram", IdempotencyKey = key, Ttl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(AbandonedTtl) },
                    i);
                record.LeaseId = lease.LeaseId;
                record.Number = lease.Number;
                record.AcknowledgedAt = DateTimeOffset.UtcNow;
                record.ExpiresAt = lease.ExpireTime.ToDateTimeOffset();
            }
            catch (RpcException ex)
            {
                record.CreateFailure = ex.StatusCode;
            }
        }));
    }

    private async Task RunAsync(int worker)
    {
        for (var cycle = 0; !_stop.IsCancellationRequested; cycle++)
        {
            var next = DateTimeOffset.UtcNow + CyclePeriod;
            await RunCycleAsync(worker, cycle);
            var wait = next - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RunCycleAsync(int worker, int cycle)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"load-{_run}-{worker}-{cycle}");
        var record = new LeaseCycle(key, DateTimeOffset.UtcNow);
        _cycles.Enqueue(record);
        Lease lease;
        try
        {
            lease = await client.CreateLeaseAsync(
                new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram", IdempotencyKey = key, Ttl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(s_ttl) },
                worker);
        }
        catch (RpcException ex)
        {
            record.CreateFailure = ex.StatusCode;
            return;
        }

        record.LeaseId = lease.LeaseId;
        record.Number = lease.Number;
        record.AcknowledgedAt = DateTimeOffset.UtcNow;
        if (cycle % 3 == worker % 3)
        {
            await carrier.SendAsync($"sms-{key}", lease.Number, lease.LeaseId, $"Telegram code: {Random.Shared.Next(10000, 99999)}", worker);
        }

        await Task.Delay(s_hold);
        await ReleaseAsync(record, worker);
    }

    /// <summary>Releases the cycle's lease (completed) with the retry contract, recording when it was asked and answered.</summary>
    public async Task ReleaseAsync(LeaseCycle record, int affinity)
    {
        record.ReleaseSentAt ??= DateTimeOffset.UtcNow;
        try
        {
            await client.ReleaseLeaseAsync(
                new ReleaseLeaseRequest { LeaseId = record.LeaseId, Outcome = LeaseOutcome.Completed, IdempotencyKey = record.IdempotencyKey + "-release" },
                affinity);
            record.ReleasedAt = DateTimeOffset.UtcNow;
            record.ReleaseFailure = null;
        }
        catch (RpcException ex)
        {
            record.ReleaseFailure = ex.StatusCode;
        }
    }

    /// <summary>
    /// What a client does later about a call that failed after its retries: asks again with the same key.
    /// A lease whose creation failed is asked for again (the same key returns the lease if it was made) and
    /// released; a failed release is sent again. Returns how many cycles still failed.
    /// </summary>
    public async Task<int> SettleAsync()
    {
        var unsettled = 0;
        foreach (var record in _cycles.Where(c => c.CreateFailure is not null || c.ReleaseFailure is not null))
        {
            if (record.CreateFailure is not null)
            {
                try
                {
                    var lease = await client.CreateLeaseAsync(
                        new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram", IdempotencyKey = record.IdempotencyKey, Ttl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(s_ttl) },
                        0);
                    record.LeaseId = lease.LeaseId;
                    record.Number = lease.Number;
                    record.AcknowledgedAt = DateTimeOffset.UtcNow;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
                {
                    // The first try made no lease and none can be had now: nothing to release.
                    continue;
                }
                catch (RpcException)
                {
                    unsettled++;
                    continue;
                }
            }

            if (record.ReleasedAt is null && record.LeaseId is not null)
            {
                await ReleaseAsync(record, 0);
                if (record.ReleaseFailure is not null)
                {
                    unsettled++;
                }
            }
        }

        return unsettled;
    }

    public void Dispose() => _stop.Dispose();
}
