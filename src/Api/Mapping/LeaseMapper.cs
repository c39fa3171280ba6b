using Google.Protobuf.WellKnownTypes;
using Pool.Contracts.Leases;
using Pool.V1;
using LeaseOutcome = Pool.Contracts.Leases.LeaseOutcome;
using ProtoOutcome = Pool.V1.LeaseOutcome;

namespace Pool.Api.Mapping;

internal static class LeaseMapper
{
    public static Lease ToProto(this LeaseInfo lease)
    {
        var proto = new Lease
        {
            LeaseId = lease.LeaseId,
            Number = lease.Number,
            Country = lease.Country,
            Pool = lease.PoolId,
            Service = lease.Service,
            CreateTime = Timestamp.FromDateTimeOffset(lease.CreatedAt),
            ExpireTime = Timestamp.FromDateTimeOffset(lease.ExpiresAt),
            State = lease.Status == LeaseStatus.Active ? LeaseState.Active : LeaseState.Ended,
            Outcome = lease.Outcome.ToProto(),
            SessionState = lease.Session == Contracts.Leases.SessionState.CodeReceived ? V1.SessionState.CodeReceived : V1.SessionState.Waiting,
        };
        if (lease.EndedAt is { } ended)
        {
            proto.EndTime = Timestamp.FromDateTimeOffset(ended);
        }

        return proto;
    }

    public static ProtoOutcome ToProto(this LeaseOutcome outcome) => outcome switch
    {
        LeaseOutcome.Completed => ProtoOutcome.Completed,
        LeaseOutcome.Cancelled => ProtoOutcome.Cancelled,
        LeaseOutcome.Expired => ProtoOutcome.Expired,
        LeaseOutcome.BadNumber => ProtoOutcome.BadNumber,
        _ => ProtoOutcome.Unspecified,
    };

    /// <summary>The outcome a client may ask for; null for one it may not (EXPIRED, unknown values).</summary>
    public static LeaseOutcome? FromClient(ProtoOutcome outcome) => outcome switch
    {
        ProtoOutcome.Unspecified or ProtoOutcome.Completed => LeaseOutcome.Completed,
        ProtoOutcome.Cancelled => LeaseOutcome.Cancelled,
        ProtoOutcome.BadNumber => LeaseOutcome.BadNumber,
        _ => null,
    };
}
