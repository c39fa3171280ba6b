using Grpc.Core;
using Pool.Api.Errors;
using Pool.Api.Mapping;
using Pool.Contracts.Inventory;
using Pool.Sms.Numbers;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Pools: pools and their policies, for operators.</summary>
internal sealed class PoolsService(IGrainFactory grains) : Pools.PoolsBase
{
    public const int MaxLabelLength = 64;

    private IInventoryGrain Inventory => grains.GetGrain<IInventoryGrain>(0);

    public override async Task<V1.Pool> CreatePool(CreatePoolRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var poolId = Validate.Pool(request.Pool, violations);
        var country = Validate.Country(request.Country, violations);
        var carrier = Label(request.Carrier, "carrier", violations);
        var region = Label(request.Region, "region", violations);
        var policy = PoolMapper.FromProto(request.Policy, violations);
        violations.ThrowIfAny();

        var pool = await Inventory.CreatePoolAsync(new PoolInfo(poolId!, country!, carrier, region, policy, DateTimeOffset.UtcNow)).WaitAsync(context.CancellationToken);
        return pool.ToProto();
    }

    public override async Task<V1.Pool> GetPool(GetPoolRequest request, ServerCallContext context)
    {
        var poolId = Validate.Required(Validate.Pool, request.Pool);
        return (await Inventory.GetPoolAsync(poolId).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<ListPoolsResponse> ListPools(ListPoolsRequest request, ServerCallContext context)
    {
        string? country = null;
        if (request.Country.Length > 0)
        {
            country = Validate.Required(Validate.Country, request.Country);
        }

        var pools = await Inventory.ListPoolsAsync(country).WaitAsync(context.CancellationToken);
        return new ListPoolsResponse { Pools = { pools.Select(p => p.ToProto()) } };
    }

    public override async Task<V1.Pool> UpdatePoolPolicy(UpdatePoolPolicyRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var poolId = Validate.Pool(request.Pool, violations);
        var policy = PoolMapper.FromProto(request.Policy, violations);
        violations.ThrowIfAny();
        return (await Inventory.UpdatePolicyAsync(poolId!, policy).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<V1.PoolStats> GetPoolStats(GetPoolStatsRequest request, ServerCallContext context)
    {
        var poolId = Validate.Required(Validate.Pool, request.Pool);
        return (await Inventory.GetStatsAsync(poolId).WaitAsync(context.CancellationToken)).ToProto();
    }

    private static string? Label(string value, string field, FieldViolations violations)
    {
        if (value.Length > MaxLabelLength || value.Any(char.IsControl))
        {
            violations.Add(field, $"must be at most {MaxLabelLength} printable characters");
        }

        return value.Length == 0 ? null : value.Trim();
    }
}
