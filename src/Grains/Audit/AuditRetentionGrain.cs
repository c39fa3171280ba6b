using Microsoft.Extensions.Options;
using Pool.Contracts.Audit;

namespace Pool.Grains.Audit;

/// <summary>
/// Purges audit rows older than <see cref="AuditOptions.Retention"/> on a durable reminder, in batches
/// of <see cref="AuditOptions.PurgeBatch"/> (audit_purge, migration 0017). One activation (key 0).
/// </summary>
public sealed partial class AuditRetentionGrain(
    AuditStore store,
    IOptions<AuditOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<AuditRetentionGrain> logger) : Grain, IAuditRetentionGrain, IRemindable
{
    private const string ReminderName = "audit-retention";

    /// <summary>Most batches one purge runs; what is left waits for the next reminder.</summary>
    public const int MaxBatches = 100;

    public async Task EnsureScheduledAsync()
    {
        var interval = options.Value.PurgeInterval;
        await this.RegisterOrUpdateReminder(ReminderName, interval, interval);
    }

    public async Task<long> PurgeAsync()
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        var batch = options.Value.PurgeBatch;
        long total = 0;
        for (var i = 0; i < MaxBatches; i++)
        {
            var deleted = await store.PurgeAsync(cutoff, batch);
            total += deleted;
            if (deleted < batch)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogPurged(logger, total, cutoff);
        }

        return total;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? PurgeAsync() : Task.CompletedTask;

    [LoggerMessage(EventId = 9301, Level = LogLevel.Information, Message = "Audit retention purged {Count} rows older than {Cutoff}")]
    private static partial void LogPurged(ILogger logger, long count, DateTimeOffset cutoff);
}
