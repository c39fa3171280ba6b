using Pool.Contracts.Verification;

namespace Pool.Grains.Verification;

/// <summary>
/// The durable backstop of verification expiry: a reminder every minute finds pending verifications
/// whose deadline passed (their grain may have been deactivated or its silo died) and lets each grain
/// expire itself, so the stored status, not only the next answer, says "expired".
/// </summary>
public sealed class VerificationSweepGrain(VerificationStore store, [FromKeyedServices(PoolClock.Key)] TimeProvider time) : Grain, IVerificationSweepGrain, IRemindable
{
    private const string ReminderName = "verification-expiry";

    public Task StartAsync() => this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public async Task<int> SweepAsync()
    {
        var overdue = await store.ListOverdueAsync(time.GetUtcNow(), limit: 1000);
        foreach (var chunk in overdue.Chunk(32))
        {
            await Task.WhenAll(chunk.Select(v => GrainFactory.GetGrain<IVerificationGrain>(v.VerificationId).GetAsync(v.TenantId)));
        }

        return overdue.Count;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();
}
