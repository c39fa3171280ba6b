using System.Text.RegularExpressions;
using Grpc.Core;
using Pool.Api.Errors;
using Pool.Api.Mapping;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Webhooks: the caller's endpoints and deliveries, handed to the webhooks grain.</summary>
internal sealed partial class WebhooksService(IGrainFactory grains) : Webhooks.WebhooksBase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    private IWebhooksGrain Webhooks => grains.GetGrain<IWebhooksGrain>(0);

    public override async Task<CreateWebhookEndpointResponse> CreateWebhookEndpoint(CreateWebhookEndpointRequest request, ServerCallContext context)
    {
        var created = await Webhooks.AddEndpointAsync(CallerTenant.Of(context), request.Url.Trim(), request.Description.Trim()).WaitAsync(context.CancellationToken);
        return new CreateWebhookEndpointResponse { Endpoint = created.Endpoint.ToProto(), Secret = created.Secret };
    }

    public override async Task<ListWebhookEndpointsResponse> ListWebhookEndpoints(ListWebhookEndpointsRequest request, ServerCallContext context)
    {
        var endpoints = await Webhooks.ListEndpointsAsync(CallerTenant.Of(context)).WaitAsync(context.CancellationToken);
        return new ListWebhookEndpointsResponse { Endpoints = { endpoints.Select(e => e.ToProto()) } };
    }

    public override async Task<V1.WebhookEndpoint> DeleteWebhookEndpoint(DeleteWebhookEndpointRequest request, ServerCallContext context) =>
        (await Webhooks.RemoveEndpointAsync(CallerTenant.Of(context), Validate.Required(EndpointId, request.EndpointId)).WaitAsync(context.CancellationToken)).ToProto();

    public override async Task<V1.WebhookEndpoint> EnableWebhookEndpoint(EnableWebhookEndpointRequest request, ServerCallContext context) =>
        (await Webhooks.EnableEndpointAsync(CallerTenant.Of(context), Validate.Required(EndpointId, request.EndpointId)).WaitAsync(context.CancellationToken)).ToProto();

    public override async Task<TestWebhookEndpointResponse> TestWebhookEndpoint(TestWebhookEndpointRequest request, ServerCallContext context)
    {
        var result = await Webhooks.TestEndpointAsync(CallerTenant.Of(context), Validate.Required(EndpointId, request.EndpointId)).WaitAsync(context.CancellationToken);
        return new TestWebhookEndpointResponse
        {
            Success = result.Success,
            StatusCode = result.StatusCode ?? 0,
            Error = result.Error ?? "",
            Elapsed = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(result.Elapsed),
        };
    }

    public override async Task<ListWebhookDeliveriesResponse> ListWebhookDeliveries(ListWebhookDeliveriesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var endpointId = request.EndpointId.Length > 0 ? EndpointId(request.EndpointId, violations) : null;
        var messageId = request.MessageId.Length > 0 ? MessageId(request.MessageId, violations) : null;
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            violations.Add("page_size", $"{request.PageSize} is out of range (1 to {MaxPageSize}; 0 for {DefaultPageSize})");
        }

        violations.ThrowIfAny();
        var query = new WebhookDeliveryQuery(endpointId, messageId, request.Status.FromProto(), request.PageSize == 0 ? DefaultPageSize : request.PageSize);
        var deliveries = await Webhooks.ListDeliveriesAsync(CallerTenant.Of(context), query).WaitAsync(context.CancellationToken);
        return new ListWebhookDeliveriesResponse { Deliveries = { deliveries.Select(d => d.ToProto()) } };
    }

    public override async Task<V1.WebhookDelivery> ReplayWebhookDelivery(ReplayWebhookDeliveryRequest request, ServerCallContext context) =>
        (await Webhooks.ReplayAsync(CallerTenant.Of(context), Validate.Required(DeliveryId, request.DeliveryId)).WaitAsync(context.CancellationToken)).ToProto();

    private static string? EndpointId(string value, FieldViolations violations) =>
        Id("endpoint_id", value, EndpointIdPattern(), "\"whe_\" and 20 hex digits", violations);

    private static string? DeliveryId(string value, FieldViolations violations) =>
        Id("delivery_id", value, DeliveryIdPattern(), "\"dlv_\" and 24 hex digits", violations);

    private static string? MessageId(string value, FieldViolations violations) =>
        Id("message_id", value, MessageIdPattern(), "\"msg_\" and 32 hex digits", violations);

    private static string? Id(string field, string value, Regex pattern, string shape, FieldViolations violations)
    {
        if (pattern.IsMatch(value))
        {
            return value;
        }

        violations.Add(field, value.Length == 0 ? "is required" : $"{Echo.Quote(value)} is not a {field.Replace('_', ' ')} ({shape})");
        return null;
    }

    [GeneratedRegex("^whe_[0-9a-f]{20}$")]
    private static partial Regex EndpointIdPattern();

    [GeneratedRegex("^dlv_[0-9a-f]{24}$")]
    private static partial Regex DeliveryIdPattern();

    [GeneratedRegex("^msg_[0-9a-f]{32}$")]
    private static partial Regex MessageIdPattern();
}
