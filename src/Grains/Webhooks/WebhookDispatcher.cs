using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pool.Contracts.Tracing;

namespace Pool.Grains.Webhooks;

/// <summary>
/// Delivers the webhook outbox from every silo: claims due deliveries (rows other silos hold are
/// skipped), posts them, and records the outcome — delivered on 2xx, endpoint disabled on 410, retried
/// on the schedule otherwise. Woken at once when this silo queues a delivery, and polls for retries
/// and for deliveries queued on silos that died. A claim lapses after a minute, so a delivery whose
/// silo died mid-attempt is tried again: at least once, with a stable webhook-id to dedupe on.
/// </summary>
public sealed partial class WebhookDispatcher(
    WebhookStore store,
    WebhookSender sender,
    WebhookOutboxSignal signal,
    Inbound.InboundTraces traces,
    IOptions<WebhookOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan s_claim = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await store.ClaimDueAsync(time.GetUtcNow(), s_claim, settings.MaxConcurrency * 2, stoppingToken);
                if (due.Count == 0)
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                    continue;
                }

                await Parallel.ForEachAsync(
                    due, new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = stoppingToken }, AttemptAsync);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                LogOutboxUnavailable(logger, ex);
                await Task.Delay(settings.PollInterval, stoppingToken);
            }
        }
    }

    private async ValueTask AttemptAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        // Continues the trace that routed the message (the carrier's request) when this silo remembers it.
        using var span = PoolActivity.StartContinuing(PoolActivity.WebhookSend, ActivityKind.Producer, traces.Find(delivery.Message.MessageId));
        span?.SetTag(PoolActivity.MessageIdTag, delivery.Message.MessageId)
            .SetTag("pool.webhook.endpoint_id", delivery.EndpointId)
            .SetTag("pool.webhook.event_id", delivery.EventId)
            .SetTag("pool.webhook.attempt", delivery.Attempts + 1);
        var body = sender.MessageBody(delivery.Message, delivery.Number);
        var attempt = await sender.PostAsync(delivery.Url, delivery.Secret, delivery.EventId, body, cancellationToken);
        span?.SetTag("http.response.status_code", attempt.StatusCode)
            .SetTag(PoolActivity.OutcomeTag, attempt.Success ? "delivered" : attempt.Gone ? "gone" : "failed");
        if (!attempt.Success)
        {
            span?.SetStatus(ActivityStatusCode.Error, attempt.Describe());
        }

        var now = time.GetUtcNow();
        if (attempt.Success)
        {
            await store.MarkDeliveredAsync(delivery.DeliveryId, attempt.StatusCode!.Value, now);
            Inbound.InboundMetrics.WebhookAttempt("delivered");
            Inbound.InboundMetrics.WebhookDelivered(now - delivery.Message.ReceivedAt);
            LogDelivered(logger, delivery.EventId, delivery.EndpointId, delivery.Attempts + 1, attempt.Elapsed.TotalMilliseconds);
        }
        else if (attempt.Gone)
        {
            await store.MarkGoneAsync(delivery.DeliveryId, delivery.EndpointId, now);
            Inbound.InboundMetrics.WebhookAttempt("gone");
            LogGone(logger, delivery.EndpointId);
        }
        else
        {
            var delay = options.Value.NextDelay(delivery.Attempts + 1, Random.Shared.NextDouble());
            await store.MarkFailedAttemptAsync(delivery.DeliveryId, attempt.StatusCode, attempt.Describe(), now + delay);
            Inbound.InboundMetrics.WebhookAttempt(delay is null ? "given_up" : "retry");
            LogFailed(logger, delivery.EventId, delivery.EndpointId, delivery.Attempts + 1, attempt.Describe(), delay?.ToString() ?? "never (given up)");
        }
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Webhook {EventId} delivered to {EndpointId} (attempt {Attempt}, {Milliseconds:0} ms)")]
    private static partial void LogDelivered(ILogger logger, string eventId, string endpointId, int attempt, double milliseconds);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Webhook {EventId} to {EndpointId} failed on attempt {Attempt} ({Reason}); next attempt in {Delay}")]
    private static partial void LogFailed(ILogger logger, string eventId, string endpointId, int attempt, string reason, string delay);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} answered 410 Gone: disabled, its pending deliveries given up")]
    private static partial void LogGone(ILogger logger, string endpointId);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Warning, Message = "The webhook outbox is unavailable; retrying")]
    private static partial void LogOutboxUnavailable(ILogger logger, Exception exception);
}
