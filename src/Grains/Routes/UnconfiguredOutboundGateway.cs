using Pool.Contracts.Routes;

namespace Pool.Grains.Routes;

/// <summary>The gateway of a silo that has no carrier connections configured: every submit fails, naming the connection.</summary>
public sealed class UnconfiguredOutboundGateway : IOutboundGateway
{
    public Task<SubmitResult> SubmitAsync(string connection, OutboundSms sms, CancellationToken cancellationToken) =>
        Task.FromResult(SubmitResult.Failed(TimeSpan.Zero, $"no carrier connection '{connection}' is configured on this silo"));
}
