using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Pool.Contracts.Routes;
using ProtoCircuit = Pool.V1.CircuitState;
using ProtoDecision = Pool.V1.RouteDecision;
using ProtoList = Pool.V1.RouteList;
using ProtoOverride = Pool.V1.RouteOverride;
using ProtoState = Pool.V1.RouteState;
using ProtoTable = Pool.V1.RouteTable;

namespace Pool.Api.Mapping;

internal static class RouteMapper
{
    public static V1.Route ToProto(this RouteInfo route)
    {
        var definition = route.Definition;
        return new V1.Route
        {
            RouteId = definition.RouteId,
            Connection = definition.Connection,
            Countries = { definition.Countries },
            Prefixes = { definition.Prefixes },
            Cost = definition.Cost.ToString(CultureInfo.InvariantCulture),
            Priority = definition.Priority,
            Enabled = definition.Enabled,
            Override = route.Override.ToProto(),
            Health = route.Health.ToProto(),
            UpdateTime = Timestamp.FromDateTimeOffset(route.UpdatedAt),
        };
    }

    public static V1.RouteHealth ToProto(this RouteHealthSnapshot health)
    {
        var proto = new V1.RouteHealth
        {
            State = health.State.ToProto(),
            Circuit = health.Circuit.ToProto(),
            Score = health.Score,
            Accepted = health.Accepted,
            Errors = health.Errors,
            Throttled = health.Throttled,
            Timeouts = health.Timeouts,
            Delivered = health.Delivered,
            Undelivered = health.Undelivered,
            Reason = health.Reason,
        };
        if (health.MeanLatency is { } latency)
        {
            proto.MeanLatency = Duration.FromTimeSpan(latency);
        }

        if (health.OpenUntil is { } openUntil)
        {
            proto.OpenUntilTime = Timestamp.FromDateTimeOffset(openUntil);
        }

        if (health.HoldUntil is { } holdUntil)
        {
            proto.HoldUntilTime = Timestamp.FromDateTimeOffset(holdUntil);
        }

        return proto;
    }

    public static ProtoTable ToProto(this RouteTable table)
    {
        var proto = new ProtoTable { Country = table.Country, Primary = { table.Primary }, Secondary = { table.Secondary } };
        if (table.UpdatedAt is { } updated)
        {
            proto.UpdateTime = Timestamp.FromDateTimeOffset(updated);
        }

        return proto;
    }

    public static ProtoDecision ToProto(this RouteDecision decision) => new()
    {
        Destination = decision.Destination,
        Country = decision.Country,
        RouteId = decision.RouteId ?? "",
        Connection = decision.Connection ?? "",
        List = decision.List?.ToProto() ?? ProtoList.Unspecified,
        Probe = decision.Probe,
        Considered = { decision.Considered.Select(ToProto) },
        Summary = decision.Summary,
    };

    public static V1.RouteConsideration ToProto(this RouteConsideration considered)
    {
        var proto = new V1.RouteConsideration
        {
            RouteId = considered.RouteId,
            List = considered.List.ToProto(),
            State = considered.State?.ToProto() ?? ProtoState.Unspecified,
            Circuit = considered.Circuit?.ToProto() ?? ProtoCircuit.Unspecified,
            Taken = considered.Taken,
            Reason = considered.Reason,
        };
        if (considered.Score is { } score)
        {
            proto.Score = score;
        }

        return proto;
    }

    public static ProtoOverride ToProto(this RouteOverride value) => value switch
    {
        RouteOverride.None => ProtoOverride.None,
        RouteOverride.Drain => ProtoOverride.Drain,
        RouteOverride.Disable => ProtoOverride.Disable,
        _ => ProtoOverride.Unspecified,
    };

    /// <summary>The override a request asks for; null for UNSPECIFIED or an unknown value.</summary>
    public static RouteOverride? FromProto(this ProtoOverride value) => value switch
    {
        ProtoOverride.None => RouteOverride.None,
        ProtoOverride.Drain => RouteOverride.Drain,
        ProtoOverride.Disable => RouteOverride.Disable,
        _ => null,
    };

    public static ProtoState ToProto(this RouteState state) => state switch
    {
        RouteState.Healthy => ProtoState.Healthy,
        RouteState.Degraded => ProtoState.Degraded,
        RouteState.Down => ProtoState.Down,
        _ => ProtoState.Unspecified,
    };

    public static ProtoCircuit ToProto(this CircuitState circuit) => circuit switch
    {
        CircuitState.Closed => ProtoCircuit.Closed,
        CircuitState.Open => ProtoCircuit.Open,
        CircuitState.HalfOpen => ProtoCircuit.HalfOpen,
        _ => ProtoCircuit.Unspecified,
    };

    public static ProtoList ToProto(this RouteList list) => list switch
    {
        RouteList.Primary => ProtoList.Primary,
        RouteList.Secondary => ProtoList.Secondary,
        _ => ProtoList.Unspecified,
    };
}
