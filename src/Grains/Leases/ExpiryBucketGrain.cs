using Orleans.Concurrency;
using Pool.Contracts.Leases;
using Pool.Grains.Persistence;

namespace Pool.Grains.Leases;

/// <summary>The leases of one expiry bucket, persisted, and one reminder to expire them.</summary>
[GenerateSerializer, Alias("pool.ExpiryBucketState")]
public sealed class ExpiryBucketState
{
    [Id(0)]
    public HashSet<string> LeaseIds { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Durable lease expiry for one minute's worth of deadlines. Registrations are group-committed: the
/// grain is reentrant so that calls arriving while a write is in flight join the next write, and at
/// most one write is in flight at a time (the grain runs one turn at a time, so the bookkeeping between
/// awaits needs no locks). When the reminder fires it asks every lease to expire if due, then forgets them.
/// </summary>
[Reentrant] // Group commit: concurrent TrackAsync calls share one state write instead of queueing one write each.
public sealed class ExpiryBucketGrain(
    [PersistentState("expiry-bucket", PoolStorage.Name)] IPersistentState<ExpiryBucketState> state,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<ExpiryBucketGrain> logger) : Grain, IExpiryBucketGrain, IRemindable
{
    private const string ReminderName = "expire";

    /// <summary>
    /// How long a commit waits for more registrations to join it. Without it only the calls already
    /// queued join (about one per write under load); 5 ms lets a busy bucket carry dozens per write.
    /// </summary>
    private static readonly TimeSpan s_commitLinger = TimeSpan.FromMilliseconds(5);
    private Task? _inFlight;
    private Task? _next;
    private bool _reminderRegistered;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _reminderRegistered = state.RecordExists && state.State.LeaseIds.Count > 0;
        return Task.CompletedTask;
    }

    public Task TrackAsync(string leaseId)
    {
        state.State.LeaseIds.Add(leaseId);
        return _next ??= CommitAfterAsync(_inFlight);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var pending = state.State.LeaseIds.ToList();
        var failed = new List<string>();
        foreach (var chunk in pending.Chunk(64))
        {
            var results = await Task.WhenAll(chunk.Select(async id =>
            {
                try
                {
                    await GrainFactory.GetGrain<ILeaseGrain>(id).ExpireIfDueAsync();
                    return (id, ok: true);
                }
                catch (Exception ex)
                {
                    ExpiryLog.ExpireFailed(logger, id, ex);
                    return (id, ok: false);
                }
            }));
            failed.AddRange(results.Where(r => !r.ok).Select(r => r.id));
        }

        // Calls that arrived while we were expiring stay; the handled ones go.
        state.State.LeaseIds.ExceptWith(pending.Except(failed));
        if (state.State.LeaseIds.Count > 0)
        {
            await (_next ??= CommitAfterAsync(_inFlight));
            return; // the reminder ticks again in a minute for what is left
        }

        // New registrations only come before the bucket's minute ends, so once it has fired and is
        // empty it can go: the row is deleted and the reminder unregistered.
        var writing = _next ?? _inFlight;
        if (writing is not null)
        {
            await writing;
        }

        _reminderRegistered = false;
        await state.ClearStateAsync();
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        var bucket = this.GetGrainId();
        ExpiryLog.Fired(logger, bucket, pending.Count);
        DeactivateOnIdle();
    }

    private async Task CommitAfterAsync(Task? previous)
    {
        // Let the calls queued, and those arriving in the next few milliseconds, join this write.
        await Task.Delay(s_commitLinger);
        if (previous is not null)
        {
            try
            {
                await previous;
            }
            catch (Exception)
            {
                // The previous write's callers got its error; this write carries their ids again.
            }
        }

        _inFlight = _next;
        _next = null;
        try
        {
            if (!_reminderRegistered)
            {
                var due = ExpiryBuckets.FireTimeOf(this.GetPrimaryKeyString()) - time.GetUtcNow();
                await this.RegisterOrUpdateReminder(ReminderName, due > TimeSpan.FromSeconds(1) ? due : TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
                _reminderRegistered = true;
            }

            await state.WriteOrDeactivateAsync(this, logger);
        }
        finally
        {
            _inFlight = null;
        }
    }
}

internal static partial class ExpiryLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Expiring lease {LeaseId} failed; the bucket retries in a minute")]
    public static partial void ExpireFailed(ILogger logger, string leaseId, Exception exception);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Expiry bucket {Bucket} fired for {Count} leases")]
    public static partial void Fired(ILogger logger, GrainId bucket, int count);
}
