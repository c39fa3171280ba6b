using Npgsql;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Grains.Webhooks;

namespace Pool.Grains.Inbound;

/// <summary>
/// A tenant's inbox. Non-reentrant on purpose: appends are serialised, so cursors are handed out in
/// the order their writes commit and a stream that resumes after cursor N can never miss a message
/// with a lower cursor committed later. One activation per tenant; it costs one write per message.
/// </summary>
public sealed partial class TenantInboxGrain(
    MessageStore store,
    WebhookOutboxSignal outbox,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<TenantInboxGrain> logger) : Grain, ITenantInboxGrain
{
    private long _lastCursor;

    /// <summary>Completed (and replaced) whenever a message is appended; waiting streams wait on it.</summary>
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string TenantId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _lastCursor = await store.LastCursorAsync(TenantId, cancellationToken);

    public async Task<long> AppendAsync(string messageId, string leaseId)
    {
        long cursor;
        int queued;
        try
        {
            (cursor, queued) = await store.AppendToTenantAsync(messageId, leaseId, TenantId, _lastCursor + 1, time.GetUtcNow());
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another activation of this inbox took the cursor (a duplicate activation after a
            // membership change): this one is stale. Step aside; the caller's retry lands on the survivor.
            LogStale(logger, TenantId);
            DeactivateOnIdle();
            throw new PoolException(PoolErrorCode.Unavailable, "the tenant's inbox moved; retry");
        }

        _lastCursor = Math.Max(_lastCursor, cursor);
        if (queued > 0)
        {
            outbox.Notify();
        }

        var appended = _appended;
        _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        appended.TrySetResult();
        return cursor;
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

        return await store.ListForTenantAsync(TenantId, afterCursor, limit: 500, cancellationToken);
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "The inbox of tenant {TenantId} lost a cursor race to another activation; deactivating")]
    private static partial void LogStale(ILogger logger, string tenantId);
}
