using Pool.Contracts.Numbers;
using Pool.V1;

namespace Pool.Api.Mapping;

internal static class NumberMapper
{
    public static Number ToProto(this NumberInfo number) => new()
    {
        Number_ = number.Number,
        Pool = number.PoolId,
        Country = number.Country,
        State = number.Status switch
        {
            NumberStatus.Available => NumberState.Available,
            NumberStatus.Leased => NumberState.Leased,
            _ => NumberState.Unspecified,
        },
        LeaseId = number.LeaseId ?? string.Empty,
        Uses = number.Uses,
    };
}
