using Npgsql;
using Orleans.Concurrency;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Grains.Webhooks;

namespace Pool.Grains.Inbound;

/// <summary>
/// A tenant's inbox: hands routed messages to the tenant in one order, with a group commit. One write is
/// in flight at a time; appends that arrive meanwhile wait in a queue and are written together by the next
/// write, one statement and one commit for all of them (<see cref="MessageStore.AppendToTenantAsync"/>), their
/// cursors consecutive in queue order. Each caller is answered when the batch holding its message committed.
/// A tenant's appends therefore cost one round trip per batch, not per message, and a burst to one tenant
/// no longer waits in line one commit at a time.
///
/// Cursors become visible in order, with no hole a reader could step over: a batch is written only after
/// the one before it has committed or failed, and its cursors follow <c>_lastCursor</c>, which moves only
/// when a batch committed. A failed batch (PostgreSQL down, the connection cut) fails every caller in it
/// with a retryable error and leaves <c>_lastCursor</c> where it was, so the next batch numbers from the
/// same place: nothing was committed, or, if the commit went through and only its answer was lost, the
/// next batch collides with those cursors on the unique index <c>messages_by_tenant_seq</c> (and waits
/// there while such a statement is still running), which is the stale-activation case below. The failed
/// callers' messages stay attached and unrouted: the carrier's retry (or <see cref="InboundMaintenanceGrain"/>)
/// appends them again, and a message already handed over keeps its cursor, so a retry never shows it twice.
///
/// A duplicate activation (after a membership change) is caught by the same unique index: a batch that
/// finds its cursors taken commits nothing; this activation steps aside (deactivates), fails that batch
/// and everything still queued with UNAVAILABLE, and refuses new appends until it is gone. The callers'
/// retries reach the surviving activation, which numbers from what is committed.
/// </summary>
[Reentrant] // Appends interleave so they can queue behind the write in flight and share the next one; the activation's single thread keeps the queue consistent.
public sealed partial class TenantInboxGrain(
    MessageStore store,
    WebhookOutboxSignal outbox,
    InboundTraces traces,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<TenantInboxGrain> logger) : Grain, ITenantInboxGrain
{
    /// <summary>The most messages one statement hands over; more queued wait for the next write.</summary>
    public const int MaxBatch = 500;

    /// <summary>The last cursor a committed batch gave out (read from the messages at activation).</summary>
    private long _lastCursor;

    /// <summary>Appends waiting for the next write, in arrival order, and the same by message id (a message queued twice shares one entry).</summary>
    private readonly List<PendingAppend> _queue = [];
    private readonly Dictionary<string, PendingAppend> _queuedById = new(StringComparer.Ordinal);

    /// <summary>Completed when the write in flight has finished (committed or failed); null when none is.</summary>
    private TaskCompletionSource? _writing;

    /// <summary>Set once another activation was found numbering this tenant's messages: this one only refuses.</summary>
    private bool _stale;

    /// <summary>Completed (and replaced) whenever a batch is appended; waiting streams wait on it.</summary>
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string TenantId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _lastCursor = await store.LastCursorAsync(TenantId, cancellationToken);

    public async Task<long> AppendAsync(string messageId, string leaseId)
    {
        if (_stale)
        {
            throw Moved();
        }

        // The span of this call belongs to the message's trace (the carrier's request): its stream and webhook continue it.
        traces.Remember(messageId);
        var pending = Enqueue(messageId, leaseId);
        // The first caller to find no write in flight writes the next batch (its own message is in it unless
        // more than MaxBatch wait ahead of it); the others wait for that write and look again.
        while (!pending.Answer.Task.IsCompleted)
        {
            if (_writing is { } inFlight)
            {
                await inFlight.Task;
            }
            else
            {
                await WriteNextBatchAsync();
            }
        }

        return await pending.Answer.Task;
    }

    public async Task<IReadOnlyList<StoredMessage>> WaitAsync(long afterCursor, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (_lastCursor <= afterCursor)
        {
            try
            {
                await _appended.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                return [];
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return []; // The stream went away: stop waiting.
            }
        }

        return traces.Attach(await store.ListForTenantAsync(TenantId, afterCursor, limit: 500, cancellationToken));
    }

    private PendingAppend Enqueue(string messageId, string leaseId)
    {
        if (_queuedById.TryGetValue(messageId, out var queued))
        {
            return queued; // Routed twice at once (a carrier's retry beside the recovery job): one place in the order.
        }

        var pending = new PendingAppend(new TenantAppend(messageId, leaseId));
        _queue.Add(pending);
        _queuedById.Add(messageId, pending);
        return pending;
    }

    /// <summary>Writes the head of the queue as one batch and answers its callers; never throws (failures go to the callers).</summary>
    private async Task WriteNextBatchAsync()
    {
        var writing = _writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = _queue.Take(MaxBatch).ToList();
        _queue.RemoveRange(0, batch.Count);
        foreach (var pending in batch)
        {
            _queuedById.Remove(pending.Append.MessageId);
        }

        try
        {
            await WriteAsync(batch);
        }
        finally
        {
            _writing = null;
            writing.SetResult();
        }
    }

    private async Task WriteAsync(List<PendingAppend> batch)
    {
        IReadOnlyList<long> cursors;
        int queued;
        try
        {
            (cursors, queued) = await store.AppendToTenantAsync(TenantId, [.. batch.Select(p => p.Append)], _lastCursor, time.GetUtcNow());
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another activation of this inbox took these cursors (a duplicate activation after a membership
            // change), or a batch whose answer was lost did commit: this activation's count is stale. Step aside;
            // the callers' retries land on an activation that numbers from what is committed.
            LogStale(logger, TenantId, batch.Count + _queue.Count);
            _stale = true;
            DeactivateOnIdle();
            Fail(batch, Moved());
            Fail([.. _queue], Moved());
            _queue.Clear();
            _queuedById.Clear();
            return;
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
        {
            // Nothing is known to be committed: _lastCursor stays, and the next batch numbers from the same place.
            InboundLog.StoreFailed(logger, $"appending {batch.Count} messages to a tenant's inbox", ex);
            Fail(batch, StoreFaults.Unavailable("appending to the tenant's inbox"));
            return;
        }
#pragma warning disable CA1031 // Every caller in the batch must hear of any failure, a bug included; it is passed on to each of them, not swallowed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(batch, ex);
            return;
        }

        _lastCursor = Math.Max(_lastCursor, cursors.DefaultIfEmpty(0).Max());
        if (queued > 0)
        {
            outbox.Notify();
        }

        var appended = _appended;
        _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        appended.TrySetResult();
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Answer.TrySetResult(cursors[i]);
        }
    }

    private static void Fail(List<PendingAppend> callers, Exception error)
    {
        foreach (var pending in callers)
        {
            pending.Answer.TrySetException(error);
        }
    }

    private static PoolException Moved() => new(PoolErrorCode.Unavailable, "the tenant's inbox moved; retry");

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "The inbox of tenant {TenantId} lost a cursor race to another activation; deactivating and failing {Callers} appends for retry")]
    private static partial void LogStale(ILogger logger, string tenantId, int callers);

    /// <summary>One message waiting to be handed over, and the answer its callers wait for (its cursor).</summary>
    private sealed class PendingAppend(TenantAppend append)
    {
        public TenantAppend Append { get; } = append;

        public TaskCompletionSource<long> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
