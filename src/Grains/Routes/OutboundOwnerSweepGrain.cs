using Microsoft.Extensions.Options;
using Pool.Contracts.Errors;

namespace Pool.Grains.Routes;

/// <summary>
/// The durable backstop of delivery notices: a reminder every minute finds parts settled at least
/// <see cref="RouteSelectionOptions.OwnerNoticeGrace"/> ago whose owner was never told (the silo that
/// settled one died before telling it, or the owner call failed), tells each owner and marks it told,
/// at most <see cref="Batch"/> a run, oldest settlement first. An owner that fails again stays untold
/// and is retried on the next tick. A database failure is logged and the next tick retries: the
/// reminder outlives it.
/// <para>
/// Route health is not caught up here. It is a live view held in memory by the route's activation (a
/// new activation starts neutral); a receipt counted a minute late would be weighed as a fresh outcome,
/// and the crash that lost the count usually lost the activation holding it too. So only the owner,
/// whose stored status is a promise to the tenant, has a told mark.
/// </para>
/// Not on any request path: one activation (key 0) is enough.
/// </summary>
public sealed class OutboundOwnerSweepGrain(
    OutboundStore store,
    IOptions<RouteSelectionOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<OutboundOwnerSweepGrain> logger) : Grain, IOutboundOwnerSweepGrain, IRemindable
{
    /// <summary>The most owners one run tells.</summary>
    public const int Batch = 1000;

    private const string ReminderName = "outbound-owner-notices";

    public Task StartAsync() => this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public async Task<int> SweepAsync()
    {
        try
        {
            return await TellUntoldAsync();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            RouteLog.OwnerSweepFailed(logger, ex);
            throw new PoolException(PoolErrorCode.Unavailable, "the owner sweep could not read or mark settled message parts; retry");
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        try
        {
            await TellUntoldAsync();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            RouteLog.OwnerSweepFailed(logger, ex);
        }
    }

    private async Task<int> TellUntoldAsync()
    {
        var untold = await store.ListUntoldAsync(time.GetUtcNow() - options.Value.OwnerNoticeGrace, Batch);
        if (untold.Count == 0)
        {
            return 0;
        }

        var told = new List<long>(untold.Count);
        foreach (var chunk in untold.Chunk(32))
        {
            var results = await Task.WhenAll(chunk.Select(settlement => OwnerNotices.TellAsync(GrainFactory, settlement, logger)));
            told.AddRange(chunk.Zip(results).Where(pair => pair.Second).Select(pair => pair.First.OutboundId));
        }

        await store.MarkOwnersToldAsync(told, time.GetUtcNow());
        RouteLog.OwnersSwept(logger, told.Count, untold.Count);
        return told.Count;
    }
}
