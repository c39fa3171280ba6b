using Pool.Contracts.Errors;
using Pool.Contracts.Privacy;
using Pool.Grains.Tests.Routes;

namespace Pool.Grains.Tests.Privacy;

/// <summary>The privacy grain checks its input itself (any caller, not only the API), without echoing a number.</summary>
public sealed class ErasureValidationTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>
{
    [Theory]
    [InlineData("", null, "number")]
    [InlineData("  ", null, "number")]
    [InlineData("+852612345678901", null, "number")]
    [InlineData("85261234567", null, "number")]
    [InlineData("+85261234567", "Not A Tenant!", "tenant_id")]
    [InlineData("+85261234567", "UPPER", "tenant_id")]
    public async Task Bad_input_is_invalid_argument_naming_the_field_and_audits_nothing(string number, string? tenant, string field)
    {
        var audited = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit");

        var refused = await Assert.ThrowsAsync<PoolException>(() => fixture.Grains.GetGrain<IPrivacyGrain>(0).EraseEndUserAsync(number, tenant));

        Assert.Equal(PoolErrorCode.InvalidArgument, refused.Code);
        Assert.Equal(field, refused.Field);
        Assert.DoesNotContain("1234567", refused.Message, StringComparison.Ordinal);
        Assert.Equal(audited, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit"));
    }
}
