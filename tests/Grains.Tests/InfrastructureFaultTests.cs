using Pool.Contracts.Errors;

namespace Pool.Grains.Tests;

/// <summary>
/// The grain boundary: an infrastructure fault thrown in any grain reaches its caller as the serializable,
/// retryable PoolException(Unavailable) in Pool's words, never as a driver exception (which Orleans cannot
/// even carry) or the driver's text; refusals and bugs pass unchanged.
/// </summary>
public sealed class InfrastructureFaultTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Theory]
    [InlineData(Fault.DatabaseUnreachable)]
    [InlineData(Fault.EtagConflict)]
    [InlineData(Fault.Timeout)]
    [InlineData(Fault.StorageProviderError)]
    public async Task An_infrastructure_fault_in_a_grain_reaches_the_caller_as_unavailable_without_the_driver_text(Fault fault)
    {
        var grain = fixture.Grains.GetGrain<IFaultingGrain>($"fault-{Guid.NewGuid():n}");

        var error = await Assert.ThrowsAsync<PoolException>(() => grain.ThrowAsync(fault));

        Assert.Equal(PoolErrorCode.Unavailable, error.Code);
        Assert.Equal(InfrastructureFaults.Message, error.Message);
        Assert.DoesNotContain("secret-user", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_crosses_the_boundary_unchanged()
    {
        var grain = fixture.Grains.GetGrain<IFaultingGrain>($"fault-{Guid.NewGuid():n}");

        var error = await Assert.ThrowsAsync<PoolException>(() => grain.ThrowAsync(Fault.Refusal));

        Assert.Equal(PoolErrorCode.NotFound, error.Code);
        Assert.Equal("lease ls_0 does not exist", error.Message);
    }

    [Fact]
    public async Task A_bug_is_not_disguised_as_a_transient_fault()
    {
        var grain = fixture.Grains.GetGrain<IFaultingGrain>($"fault-{Guid.NewGuid():n}");

        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowAsync(Fault.Bug));
    }
}
