using Pool.Contracts.Leases;
using Pool.Contracts.Numbers;
using Pool.Grains.Inventory;

namespace Pool.Grains.Leases;

/// <summary>
/// One pool's expiry sweep. Its reminder wakes it every <see cref="Period"/>, on any silo, also after
/// every silo restarted; it reads the leased numbers whose deadline has passed from the inventory
/// projection and asks each to nudge its lease. A lease that was extended meanwhile ignores the
/// nudge. A number whose projection lags (a silo died before writing it) is caught when the
/// allocator next offers it: an overdue number nudges its lease itself.
/// </summary>
public sealed class ExpirySweepGrain(NumberInventory inventory, [FromKeyedServices(PoolClock.Key)] TimeProvider time, ILogger<ExpirySweepGrain> logger) : Grain, IExpirySweepGrain, IRemindable
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    /// <summary>Overdue numbers handled per sweep; more wait for the next tick.</summary>
    public const int MaxPerSweep = 5000;

    private const string ReminderName = "sweep";
    private bool _scheduled;

    public async Task EnsureScheduledAsync()
    {
        if (!_scheduled)
        {
            await this.RegisterOrUpdateReminder(ReminderName, Period, Period);
            _scheduled = true;
        }
    }

    public async Task<int> SweepAsync()
    {
        var poolId = this.GetPrimaryKeyString();
        var overdue = await inventory.ListOverdueLeasedAsync(poolId, time.GetUtcNow(), MaxPerSweep);
        foreach (var chunk in overdue.Chunk(64))
        {
            await Task.WhenAll(chunk.Select(number => GrainFactory.GetGrain<INumberGrain>(number).ExpireOverdueLeaseAsync()));
        }

        if (overdue.Count > 0)
        {
            SweepLog.Swept(logger, poolId, overdue.Count);
        }

        return overdue.Count;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _scheduled = true;
        await SweepAsync();
    }
}

internal static partial class SweepLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Expiry sweep of pool {PoolId} nudged {Count} overdue leases")]
    public static partial void Swept(ILogger logger, string poolId, int count);
}
