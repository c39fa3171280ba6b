using Grpc.Core;
using Pool.Api.Errors;
using Pool.Contracts.Simulator;
using Pool.Sms.Numbers;
using Pool.V1;
using Duration = Google.Protobuf.WellKnownTypes.Duration;

namespace Pool.Api.Services;

/// <summary>pool.v1.Simulator: the embedded carrier simulator's faults and MO messages.</summary>
internal sealed class SimulatorService(IGrainFactory grains) : V1.Simulator.SimulatorBase
{
    public const int MaxTextLength = 1600;

    private ISimulatorGrain Simulator => grains.GetGrain<ISimulatorGrain>(0);

    public override async Task<ListSimulatedRoutesResponse> ListSimulatedRoutes(ListSimulatedRoutesRequest request, ServerCallContext context)
    {
        var routes = await Simulator.ListAsync().WaitAsync(context.CancellationToken);
        return new ListSimulatedRoutesResponse { Routes = { routes.Select(ToProto) } };
    }

    public override async Task<V1.SimulatedRoute> SetSimulatorFaults(SetSimulatorFaultsRequest request, ServerCallContext context)
    {
        var route = RequiredRoute(request.Route);
        var current = (await Simulator.ListAsync().WaitAsync(context.CancellationToken)).FirstOrDefault(r => r.Name == route)?.Faults
            ?? new SimulatedFaults(TimeSpan.Zero, 0, 0, false, 0);
        var faults = new SimulatedFaults(
            request.Latency?.ToTimeSpan() ?? current.Latency,
            request.HasSubmitErrorRate ? request.SubmitErrorRate : current.SubmitErrorRate,
            request.HasThrottleRate ? request.ThrottleRate : current.ThrottleRate,
            request.HasOutage ? request.Outage : current.Outage,
            request.HasDlrFailureRate ? request.DlrFailureRate : current.DlrFailureRate);
        return ToProto(await Simulator.SetFaultsAsync(route, faults).WaitAsync(context.CancellationToken));
    }

    public override async Task<SendSimulatedMessageResponse> SendSimulatedMessage(SendSimulatedMessageRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (request.Route.Length == 0)
        {
            violations.Add("route", "is required");
        }

        if (request.From.Length is 0 or > 20)
        {
            violations.Add("from", "is required: a number or an alphanumeric sender id of at most 20 characters");
        }

        if (!E164.TryParse(request.To, out var to, out var toError))
        {
            violations.Add("to", toError);
        }

        if (request.Text.Length is 0 or > MaxTextLength)
        {
            violations.Add("text", $"must be 1-{MaxTextLength} characters");
        }

        violations.ThrowIfAny();
        var parts = await Simulator.SendMoAsync(request.Route, request.From, to!, request.Text, request.Sar).WaitAsync(context.CancellationToken);
        return new SendSimulatedMessageResponse { Parts = parts };
    }

    public override async Task<ListSimulatedHandsetResponse> ListSimulatedHandset(ListSimulatedHandsetRequest request, ServerCallContext context)
    {
        var route = RequiredRoute(request.Route);
        if (request.Limit is < 0 or > 500)
        {
            var violations = new FieldViolations();
            violations.Add("limit", $"{request.Limit} is out of range (1 to 500; 0 for 20)");
            violations.ThrowIfAny();
        }

        var sent = await Simulator.ListSentAsync(route, request.Limit == 0 ? 20 : request.Limit).WaitAsync(context.CancellationToken);
        return new ListSimulatedHandsetResponse
        {
            Messages =
            {
                sent.Select(s => new V1.SimulatedSms
                {
                    MessageId = s.MessageId, From = s.From, To = s.ToMasked, Text = s.Text, Time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(s.At),
                }),
            },
        };
    }

    private static string RequiredRoute(string route)
    {
        var violations = new FieldViolations();
        if (route.Length == 0)
        {
            violations.Add("route", "is required");
        }

        violations.ThrowIfAny();
        return route;
    }

    private static V1.SimulatedRoute ToProto(Contracts.Simulator.SimulatedRoute route) => new()
    {
        Route = route.Name,
        Port = route.Port,
        Latency = Duration.FromTimeSpan(route.Faults.Latency),
        SubmitErrorRate = route.Faults.SubmitErrorRate,
        ThrottleRate = route.Faults.ThrottleRate,
        Outage = route.Faults.Outage,
        DlrFailureRate = route.Faults.DlrFailureRate,
        BoundSessions = route.BoundSessions,
        Submissions = route.Submissions,
        ThrottledAnswers = route.ThrottledAnswers,
        RefusedBinds = route.RefusedBinds,
    };
}
