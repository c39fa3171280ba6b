using Grpc.Core;
using Pool.Api.Errors;
using Pool.Api.Mapping;
using Pool.Contracts.Numbers;
using Pool.Contracts.Provisioning;
using Pool.Sms.Numbers;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Numbers: the operators' view of the inventory.</summary>
internal sealed class NumbersService(IGrainFactory grains) : Numbers.NumbersBase
{
    public const int MaxNumbersPerRequest = 10_000;

    public override async Task<AddNumbersResponse> AddNumbers(AddNumbersRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (!Country.TryNormalize(request.Country, out var country, out var countryError))
        {
            violations.Add("country", countryError);
        }

        var poolId = country is null ? null : PoolId.DefaultFor(country);
        if (request.Pool.Length > 0 && !PoolId.TryNormalize(request.Pool, out poolId, out var poolError))
        {
            violations.Add("pool", poolError);
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
        var result = await grains.GetGrain<IProvisioningGrain>(0)
            .AddNumbersAsync(poolId!, country!, numbers)
            .WaitAsync(context.CancellationToken);
        return new AddNumbersResponse { Pool = result.PoolId, Added = result.Added, AlreadyPresent = { result.AlreadyPresent } };
    }

    public override async Task<Number> GetNumber(GetNumberRequest request, ServerCallContext context)
    {
        if (!E164.TryParse(request.Number, out var number, out var error))
        {
            var violations = new FieldViolations();
            violations.Add("number", error);
            violations.ThrowIfAny();
        }

        var info = await grains.GetGrain<INumberGrain>(number!).GetAsync().WaitAsync(context.CancellationToken);
        return info.ToProto();
    }
}
