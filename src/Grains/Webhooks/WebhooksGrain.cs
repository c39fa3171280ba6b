using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;

namespace Pool.Grains.Webhooks;

/// <summary>Webhook endpoint management over the endpoint and outbox tables.</summary>
[StatelessWorker] // No state of its own: every call is a query or a single-statement write.
public sealed class WebhooksGrain(
    WebhookStore store,
    WebhookSender sender,
    WebhookOutboxSignal outbox,
    IOptions<WebhookOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time) : Grain, IWebhooksGrain
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 200;

    public async Task<CreatedWebhookEndpoint> AddEndpointAsync(string tenantId, string url, string description)
    {
        ValidateUrl(url, options.Value.AllowHttp);
        if (description.Length > MaxDescriptionLength)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"is {description.Length} characters long; at most {MaxDescriptionLength}", "description");
        }

        var secret = WebhookSignature.NewSecret();
        var endpoint = await store.AddEndpointAsync(tenantId, url, description, secret, time.GetUtcNow(), options.Value.MaxEndpointsPerTenant, AuditActor.Current);
        return new CreatedWebhookEndpoint(endpoint, secret);
    }

    public Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string tenantId) => store.ListEndpointsAsync(tenantId);

    public async Task<WebhookEndpoint> RemoveEndpointAsync(string tenantId, string endpointId) =>
        await store.RemoveEndpointAsync(tenantId, endpointId, AuditActor.Current) ?? throw EndpointNotFound(endpointId);

    public async Task<WebhookEndpoint> EnableEndpointAsync(string tenantId, string endpointId) =>
        await store.EnableEndpointAsync(tenantId, endpointId, AuditActor.Current) ?? throw EndpointNotFound(endpointId);

    public async Task<WebhookTestResult> TestEndpointAsync(string tenantId, string endpointId)
    {
        var (endpoint, secret) = await store.FindEndpointAsync(tenantId, endpointId) ?? throw EndpointNotFound(endpointId);
        var attempt = await sender.PostAsync(endpoint.Url, secret, $"test_{Guid.NewGuid():n}", sender.TestBody(endpointId), CancellationToken.None);
        return new WebhookTestResult(attempt.Success, attempt.StatusCode, attempt.Success ? null : attempt.Describe(), attempt.Elapsed);
    }

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string tenantId, WebhookDeliveryQuery query) => store.ListDeliveriesAsync(tenantId, query);

    public async Task<WebhookDelivery> ReplayAsync(string tenantId, string deliveryId)
    {
        var delivery = await store.ReplayAsync(tenantId, deliveryId, time.GetUtcNow())
            ?? throw new PoolException(PoolErrorCode.NotFound, $"no webhook delivery {deliveryId}", "delivery_id");
        outbox.Notify();
        return delivery;
    }

    /// <summary>An absolute https URL (http only to a loopback host, unless allowed), without credentials or fragment.</summary>
    public static void ValidateUrl(string url, bool allowHttp)
    {
        // "://" first: on Unix "/hooks" would parse as an absolute file: URI.
        if (url.Length is 0 or > MaxUrlLength || !url.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"must be an absolute URL of at most {MaxUrlLength} characters", "url");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"scheme '{uri.Scheme}' is not https", "url");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !allowHttp && !IsLoopback(uri))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "must use https (plain http is accepted only for a loopback host)", "url");
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "must not carry credentials or a fragment", "url");
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static PoolException EndpointNotFound(string endpointId) =>
        new(PoolErrorCode.NotFound, $"no webhook endpoint {endpointId}", "endpoint_id");
}
