using Grpc.Core;
using Pool.Api.Errors;
using Pool.Api.Mapping;
using Pool.Contracts.Inventory;
using Pool.Contracts.Numbers;
using Pool.Sms.Numbers;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Numbers: the operators' view of the inventory and the watchlist.</summary>
internal sealed class NumbersService(IGrainFactory grains) : Numbers.NumbersBase
{
    public const int MaxNumbersPerRequest = 10_000;

    public override async Task<AddNumbersResponse> AddNumbers(AddNumbersRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var country = Validate.Country(request.Country, violations);
        var poolId = country is null ? null : PoolId.DefaultFor(country);
        if (request.Pool.Length > 0)
        {
            poolId = Validate.Pool(request.Pool, violations);
        }

        if (request.Numbers.Count is 0 or > MaxNumbersPerRequest)
        {
            violations.Add("numbers", $"holds {request.Numbers.Count} numbers; send 1 to {MaxNumbersPerRequest} per request");
        }

        var numbers = new List<string>(request.Numbers.Count);
        for (var i = 0; i < request.Numbers.Count && i < MaxNumbersPerRequest; i++)
        {
            if (!E164.TryParse(request.Numbers[i], out var number, out var numberError))
            {
                violations.Add($"numbers[{i}]", numberError);
            }
            else if (country is not null && E164.RegionOf(number) != country)
            {
                violations.Add($"numbers[{i}]", $"{number} is a number of {E164.RegionOf(number)}, not {country}");
            }
            else
            {
                numbers.Add(number);
            }
        }

        violations.ThrowIfAny();
        var result = await grains.GetGrain<IInventoryGrain>(0)
            .AddNumbersAsync(poolId!, country!, numbers)
            .WaitAsync(context.CancellationToken);
        return new AddNumbersResponse { Pool = result.PoolId, Added = result.Added, AlreadyPresent = { result.AlreadyPresent } };
    }

    public override async Task<Number> GetNumber(GetNumberRequest request, ServerCallContext context) =>
        (await Number(request.Number).GetAsync().WaitAsync(context.CancellationToken)).ToProto();

    public override async Task<Number> WatchlistNumber(WatchlistNumberRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var number = Validate.Number(request.Number, violations);
        var reason = Validate.Reason(request.Reason, violations);
        var until = request.Until?.ToDateTimeOffset();
        if (until is { } end && end <= DateTimeOffset.UtcNow)
        {
            violations.Add("until", $"{end:u} is not in the future");
        }

        violations.ThrowIfAny();
        return (await grains.GetGrain<INumberGrain>(number!).WatchlistAsync(reason!, until).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<Number> ReinstateNumber(ReinstateNumberRequest request, ServerCallContext context) =>
        (await Number(request.Number).ReinstateAsync().WaitAsync(context.CancellationToken)).ToProto();

    public override async Task<Number> RetireNumber(RetireNumberRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var number = Validate.Number(request.Number, violations);
        var reason = Validate.Reason(request.Reason, violations);
        violations.ThrowIfAny();
        return (await grains.GetGrain<INumberGrain>(number!).RetireAsync(reason!).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<Number> MoveNumber(MoveNumberRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var number = Validate.Number(request.Number, violations);
        var pool = Validate.Pool(request.Pool, violations);
        violations.ThrowIfAny();
        return (await grains.GetGrain<INumberGrain>(number!).MoveAsync(pool!).WaitAsync(context.CancellationToken)).ToProto();
    }

    private INumberGrain Number(string value) => grains.GetGrain<INumberGrain>(Validate.Required(Validate.Number, value));
}
