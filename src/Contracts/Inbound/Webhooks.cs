namespace Pool.Contracts.Inbound;

/// <summary>A tenant's webhook endpoint, without its secret.</summary>
[GenerateSerializer, Immutable, Alias("pool.WebhookEndpoint")]
public sealed record WebhookEndpoint(
    [property: Id(0)] string EndpointId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Url,
    [property: Id(3)] string Description,
    [property: Id(4)] bool Enabled,
    [property: Id(5)] string? DisabledReason,
    [property: Id(6)] DateTimeOffset CreatedAt);

/// <summary>A new endpoint and its signing secret (shown this once).</summary>
[GenerateSerializer, Immutable, Alias("pool.CreatedWebhookEndpoint")]
public sealed record CreatedWebhookEndpoint([property: Id(0)] WebhookEndpoint Endpoint, [property: Id(1)] string Secret);

/// <summary>Where a delivery stands.</summary>
[GenerateSerializer, Alias("pool.WebhookDeliveryStatus")]
public enum WebhookDeliveryStatus
{
    /// <summary>Not delivered yet; the next attempt is due at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Pending = 0,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered = 1,

    /// <summary>Given up: retries ran out, or the endpoint answered 410 Gone (and was disabled).</summary>
    Failed = 2,
}

/// <summary>One event for one endpoint: every attempt carries the same webhook-id (<see cref="EventId"/>).</summary>
[GenerateSerializer, Immutable, Alias("pool.WebhookDelivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string EndpointId,
    [property: Id(2)] string EventId,
    [property: Id(3)] string EventType,
    [property: Id(4)] string MessageId,
    [property: Id(5)] WebhookDeliveryStatus Status,
    [property: Id(6)] int Attempts,
    [property: Id(7)] DateTimeOffset NextAttemptAt,
    [property: Id(8)] int? LastStatusCode,
    [property: Id(9)] string? LastError,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? DeliveredAt);

/// <summary>What an endpoint answered a test event.</summary>
[GenerateSerializer, Immutable, Alias("pool.WebhookTestResult")]
public sealed record WebhookTestResult(
    [property: Id(0)] bool Success,
    [property: Id(1)] int? StatusCode,
    [property: Id(2)] string? Error,
    [property: Id(3)] TimeSpan Elapsed);

/// <summary>Filters for listing deliveries.</summary>
[GenerateSerializer, Immutable, Alias("pool.WebhookDeliveryQuery")]
public sealed record WebhookDeliveryQuery(
    [property: Id(0)] string? EndpointId,
    [property: Id(1)] string? MessageId,
    [property: Id(2)] WebhookDeliveryStatus? Status,
    [property: Id(3)] int Limit);

/// <summary>
/// Webhook endpoint management for tenants (a stateless worker over the endpoint and outbox tables;
/// every call names the tenant, and another tenant's endpoint or delivery is NotFound).
/// </summary>
[Alias("pool.IWebhooksGrain")]
public interface IWebhooksGrain : IGrainWithIntegerKey
{
    [Alias("AddEndpoint")]
    Task<CreatedWebhookEndpoint> AddEndpointAsync(string tenantId, string url, string description);

    [Alias("ListEndpoints")]
    Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string tenantId);

    [Alias("RemoveEndpoint")]
    Task<WebhookEndpoint> RemoveEndpointAsync(string tenantId, string endpointId);

    /// <summary>Turns a disabled endpoint (e.g. after a 410) back on; past deliveries stay as they are (replay them).</summary>
    [Alias("EnableEndpoint")]
    Task<WebhookEndpoint> EnableEndpointAsync(string tenantId, string endpointId);

    /// <summary>Sends a signed "webhook.test" event now and reports the answer (nothing is stored).</summary>
    [Alias("TestEndpoint")]
    Task<WebhookTestResult> TestEndpointAsync(string tenantId, string endpointId);

    [Alias("ListDeliveries")]
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string tenantId, WebhookDeliveryQuery query);

    /// <summary>Sends a delivery again (same webhook-id), whatever its status: it becomes pending, due now.</summary>
    [Alias("Replay")]
    Task<WebhookDelivery> ReplayAsync(string tenantId, string deliveryId);
}
