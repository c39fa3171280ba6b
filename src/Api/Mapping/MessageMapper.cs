using Google.Protobuf.WellKnownTypes;
using Pool.Contracts.Inbound;
using Pool.V1;
using WebhookDeliveryStatus = Pool.Contracts.Inbound.WebhookDeliveryStatus;
using ProtoDeliveryStatus = Pool.V1.WebhookDeliveryStatus;

namespace Pool.Api.Mapping;

internal static class MessageMapper
{
    public static Message ToProto(this StoredMessage m) => new()
    {
        MessageId = m.MessageId,
        Sender = m.SenderMasked,
        Text = m.Text,
        ReceiveTime = Timestamp.FromDateTimeOffset(m.ReceivedAt),
        Code = m.Code ?? "",
        Service = m.Service ?? "",
        TextPurged = m.TextPurged,
        Incomplete = m.Incomplete,
        LeaseId = m.LeaseId ?? "",
        Cursor = m.Cursor,
    };

    public static V1.WebhookEndpoint ToProto(this Contracts.Inbound.WebhookEndpoint e) => new()
    {
        EndpointId = e.EndpointId,
        Url = e.Url,
        Description = e.Description,
        Enabled = e.Enabled,
        DisabledReason = e.DisabledReason ?? "",
        CreateTime = Timestamp.FromDateTimeOffset(e.CreatedAt),
    };

    public static V1.WebhookDelivery ToProto(this Contracts.Inbound.WebhookDelivery d)
    {
        var proto = new V1.WebhookDelivery
        {
            DeliveryId = d.DeliveryId,
            EndpointId = d.EndpointId,
            EventId = d.EventId,
            EventType = d.EventType,
            MessageId = d.MessageId,
            Status = d.Status.ToProto(),
            Attempts = d.Attempts,
            NextAttemptTime = Timestamp.FromDateTimeOffset(d.NextAttemptAt),
            LastStatusCode = d.LastStatusCode ?? 0,
            LastError = d.LastError ?? "",
            CreateTime = Timestamp.FromDateTimeOffset(d.CreatedAt),
        };
        if (d.DeliveredAt is { } delivered)
        {
            proto.DeliveredTime = Timestamp.FromDateTimeOffset(delivered);
        }

        return proto;
    }

    public static ProtoDeliveryStatus ToProto(this WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => ProtoDeliveryStatus.Pending,
        WebhookDeliveryStatus.Delivered => ProtoDeliveryStatus.Delivered,
        WebhookDeliveryStatus.Failed => ProtoDeliveryStatus.Failed,
        _ => ProtoDeliveryStatus.Unspecified,
    };

    public static WebhookDeliveryStatus? FromProto(this ProtoDeliveryStatus status) => status switch
    {
        ProtoDeliveryStatus.Pending => WebhookDeliveryStatus.Pending,
        ProtoDeliveryStatus.Delivered => WebhookDeliveryStatus.Delivered,
        ProtoDeliveryStatus.Failed => WebhookDeliveryStatus.Failed,
        _ => null,
    };
}
