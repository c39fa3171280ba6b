using Google.Protobuf.WellKnownTypes;
using Pool.Contracts.Numbers;
using Pool.V1;

namespace Pool.Api.Mapping;

internal static class NumberMapper
{
    public static Number ToProto(this NumberInfo number)
    {
        var proto = new Number
        {
            Number_ = number.Number,
            Pool = number.PoolId,
            Country = number.Country,
            State = number.Status switch
            {
                NumberStatus.Available => NumberState.Available,
                NumberStatus.Leased => NumberState.Leased,
                NumberStatus.Cooling => NumberState.Cooling,
                NumberStatus.Watchlisted => NumberState.Watchlisted,
                NumberStatus.Retired => NumberState.Retired,
                _ => NumberState.Unspecified,
            },
            LeaseId = number.LeaseId ?? string.Empty,
            Uses = number.Uses,
            Reason = number.Reason ?? string.Empty,
            Offences = number.Offences,
        };
        if (number.Until is { } until)
        {
            proto.Until = Timestamp.FromDateTimeOffset(until);
        }

        foreach (var (service, at) in number.ServedServices)
        {
            proto.ServedServices[service] = Timestamp.FromDateTimeOffset(at);
        }

        return proto;
    }
}
