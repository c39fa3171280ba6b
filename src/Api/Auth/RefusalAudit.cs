using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pool.Contracts.Audit;

namespace Pool.Api.Auth;

/// <summary>
/// Audits refused calls of existing keys (action "auth.refused", target the method, outcome "refused:
/// " and the refusal) through <see cref="IAuditLogGrain"/>, without ever delaying or failing the
/// refusal: <see cref="Report"/> only queues the row, and a background loop writes it. At most one row
/// per key, rule and <see cref="Window"/> is queued, so a flood of refused calls costs a handful of
/// rows; the queue holds at most <see cref="QueueCapacity"/> rows, and what it cannot hold is counted
/// and logged as a warning, never dropped silently. Refusals that name no existing key (no key, a
/// malformed or unknown one) are not audited: their key id is whatever the caller made up.
/// </summary>
public sealed partial class RefusalAudit(IGrainFactory grains, TimeProvider time, ILogger<RefusalAudit> logger) : BackgroundService
{
    public const string Action = "auth.refused";

    /// <summary>At most one row per key and rule in this time.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public const int QueueCapacity = 1024;

    /// <summary>Entries of the per-key rate limit kept before old ones are swept.</summary>
    private const int MaxTracked = 10_000;

    // FullMode Wait: TryWrite answers false on a full queue (it never waits), so the row that cannot be
    // queued is counted and logged; DropWrite would answer true and lose it silently.
    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private readonly ConcurrentDictionary<(string KeyId, string Rule), DateTimeOffset> _lastQueued = new();
    private long _dropped;

    /// <summary>Queues the audit row of a refusal of <paramref name="actor"/>'s key unless one was queued for the same key and rule within <see cref="Window"/>.</summary>
    public void Report(AuditActor actor, string rule, string message, string method)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(method);
        var now = time.GetUtcNow();
        var slot = (actor.KeyId, rule);
        if (_lastQueued.TryGetValue(slot, out var last) && now - last < Window)
        {
            return;
        }

        _lastQueued[slot] = now;
        if (_lastQueued.Count > MaxTracked)
        {
            foreach (var (old, at) in _lastQueued)
            {
                if (now - at >= Window)
                {
                    _lastQueued.TryRemove(old, out _);
                }
            }
        }

        if (!_queue.Writer.TryWrite(new AuditRecord(actor, Action, method.TrimStart('/'), null, null, $"refused: {message}")))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var record in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
                {
                    LogDropped(logger, dropped, QueueCapacity);
                }

                try
                {
                    await grains.GetGrain<IAuditLogGrain>(0).AppendAsync(record).WaitAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogAppendFailed(logger, ex, record.Actor.KeyId, record.Target);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: rows still queued are not written.
        }
    }

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "The audit row of a refused call of key {KeyId} to {Method} could not be written")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string keyId, string method);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "{Count} audit rows of refused calls were not written: more than {Capacity} were waiting")]
    private static partial void LogDropped(ILogger logger, long count, int capacity);
}
