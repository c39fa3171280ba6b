using Pool.Carriers.Http;
using Pool.Carriers.Smpp;
using Pool.Contracts.Routes;

namespace Pool.Carriers;

/// <summary>
/// The silo's way out to carriers (<see cref="IOutboundGateway"/>): a submit goes to the HTTP carrier or
/// the SMPP bind of the route's connection name. The SMPP result's detail becomes the error a route's
/// health and an operator see; a throttled bind answers <see cref="SubmitOutcome.Throttled"/>.
/// </summary>
public sealed class OutboundGateway(SmppBinds binds, HttpCarriers http) : IOutboundGateway
{
    public async Task<SubmitResult> SubmitAsync(string connection, OutboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        if (http.TryGet(connection, out var carrier))
        {
            return await carrier.SubmitAsync(sms, cancellationToken);
        }

        if (!binds.TryGet(connection, out var bind))
        {
            return SubmitResult.Failed(TimeSpan.Zero, $"no carrier connection '{connection}' is configured on this silo");
        }

        var result = await bind.Client.SubmitAsync(sms, bind.Options.SourceAddress, cancellationToken);
        return result.Outcome switch
        {
            SmppSubmitOutcome.Accepted => SubmitResult.Accepted(result.Latency, [.. result.MessageIds]),
            SmppSubmitOutcome.Throttled => SubmitResult.Throttled(result.Latency, $"{connection}: {result.StatusName}"),
            SmppSubmitOutcome.TimedOut => SubmitResult.TimedOut(result.Latency),
            SmppSubmitOutcome.Rejected => SubmitResult.Failed(result.Latency, $"{connection} refused the message: {result.StatusName}"),
            _ => SubmitResult.Failed(result.Latency, $"{connection} is not bound ({result.Outcome}{(result.Detail is { } detail ? ": " + detail : "")})"),
        };
    }
}
