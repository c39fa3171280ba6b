using Google.Protobuf.WellKnownTypes;
using Pool.Contracts.Verification;
using ProtoDelivery = Pool.V1.VerificationDeliveryStatus;
using ProtoStatus = Pool.V1.VerificationStatus;

namespace Pool.Api.Mapping;

internal static class VerificationMapper
{
    /// <summary>The verification as its tenant sees it: the grain gives the number only masked, and never the code.</summary>
    public static V1.VerificationInfo ToProto(this VerificationInfo verification) => new()
    {
        VerificationId = verification.VerificationId,
        To = verification.ToMasked,
        Channel = verification.Channel,
        Locale = verification.Locale,
        CodeLength = verification.CodeLength,
        Status = verification.Status.ToProto(),
        DeliveryStatus = verification.Delivery.ToProto(),
        Sends = verification.Sends,
        Checks = verification.Checks,
        CreateTime = Timestamp.FromDateTimeOffset(verification.CreatedAt),
        ExpireTime = Timestamp.FromDateTimeOffset(verification.ExpiresAt),
        UpdateTime = Timestamp.FromDateTimeOffset(verification.UpdatedAt),
        RouteId = verification.RouteId ?? "",
    };

    public static ProtoStatus ToProto(this VerificationStatus status) => status switch
    {
        VerificationStatus.Pending => ProtoStatus.Pending,
        VerificationStatus.Approved => ProtoStatus.Approved,
        VerificationStatus.Canceled => ProtoStatus.Canceled,
        VerificationStatus.Expired => ProtoStatus.Expired,
        VerificationStatus.MaxAttemptsReached => ProtoStatus.MaxAttemptsReached,
        VerificationStatus.Failed => ProtoStatus.Failed,
        _ => ProtoStatus.Unspecified,
    };

    public static ProtoDelivery ToProto(this VerificationDelivery delivery) => delivery switch
    {
        VerificationDelivery.None => ProtoDelivery.None,
        VerificationDelivery.Sent => ProtoDelivery.Sent,
        VerificationDelivery.Delivered => ProtoDelivery.Delivered,
        VerificationDelivery.Undelivered => ProtoDelivery.Undelivered,
        _ => ProtoDelivery.Unspecified,
    };
}
