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
///
/// The sweep also settles numbers and leases that disagree in the projections (unchanged for
/// <see cref="Settle"/>): a number shown leased by a lease whose row is missing or ended is asked to
/// check with its lease (and is freed when the lease does not hold it), and a lease shown active whose
/// number is not held by it is asked to check with its number (and records the end its number made).
/// </summary>
public sealed class ExpirySweepGrain(NumberInventory inventory, [FromKeyedServices(PoolClock.Key)] TimeProvider time, ILogger<ExpirySweepGrain> logger) : Grain, IExpirySweepGrain, ILeaseSweep, IRemindable
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    /// <summary>Overdue numbers handled per sweep; more wait for the next tick.</summary>
    public const int MaxPerSweep = 5000;

    /// <summary>How long a disagreement must have lasted before the sweep acts on it (the projections are written behind).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

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

        await SettleAsync();
        return overdue.Count;
    }

    /// <summary>Asks numbers and leases that disagree in the projections to settle it between themselves (one-way calls).</summary>
    public async Task<(int Numbers, int Leases)> SettleAsync()
    {
        var poolId = this.GetPrimaryKeyString();
        var before = time.GetUtcNow() - Settle;
        var numbers = await inventory.ListLeasedWithoutLiveLeaseAsync(poolId, before, MaxPerSweep);
        foreach (var number in numbers)
        {
            await GrainFactory.GetGrain<Numbers.INumberHolding>(number).CheckLeaseAsync();
        }

        var leases = await inventory.ListActiveLeasesNotHeldAsync(poolId, before, MaxPerSweep);
        foreach (var leaseId in leases)
        {
            await GrainFactory.GetGrain<ILeaseHolding>(leaseId).ReconcileAsync();
        }

        if (numbers.Count + leases.Count > 0)
        {
            SweepLog.Disagreements(logger, poolId, numbers.Count, leases.Count);
        }

        return (numbers.Count, leases.Count);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _scheduled = true;
        await SweepAsync();
    }
}

/// <summary>The sweep's settling of disagreements, callable on its own (cluster-internal).</summary>
[Alias("pool.ILeaseSweep")]
public interface ILeaseSweep : IGrainWithStringKey
{
    /// <summary>Asks the numbers and leases of the pool that disagree in the projections to settle it; returns how many of each were asked.</summary>
    [Alias("Settle")]
    Task<(int Numbers, int Leases)> SettleAsync();
}

internal static partial class SweepLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Expiry sweep of pool {PoolId} nudged {Count} overdue leases")]
    public static partial void Swept(ILogger logger, string poolId, int count);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Expiry sweep of pool {PoolId} found {Numbers} numbers held by no live lease and {Leases} active leases not held by their number; asked them to settle")]
    public static partial void Disagreements(ILogger logger, string poolId, int numbers, int leases);
}
