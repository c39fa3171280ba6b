using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using Pool.Api.Errors;
using Pool.Api.Mapping;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Sms.Logging;
using Pool.Sms.Numbers;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Routes: carrier routes, route tables and route decisions, for operators.</summary>
internal sealed partial class RoutesService(IGrainFactory grains) : V1.Routes.RoutesBase
{
    public const int MaxConnectionLength = 128;
    public const int MaxCountries = 250;
    public const int MaxPrefixes = 500;
    public const int MaxPriority = 1000;
    public const int MaxCostDecimals = 6;
    public const int MaxTableRoutes = 50;

    private IRouteDirectoryGrain Directory => grains.GetGrain<IRouteDirectoryGrain>(0);

    public override async Task<V1.Route> UpsertRoute(UpsertRouteRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var routeId = RouteId("route_id", request.RouteId, violations);
        var connection = request.Connection.Trim();
        if (connection.Length is 0 or > MaxConnectionLength || connection.Any(char.IsControl))
        {
            violations.Add("connection", $"must be 1-{MaxConnectionLength} printable characters naming a carrier connection");
        }

        var countries = new List<string>();
        if (request.Countries.Count > MaxCountries)
        {
            violations.Add("countries", $"holds {request.Countries.Count} countries; at most {MaxCountries}");
        }

        for (var i = 0; i < request.Countries.Count && i < MaxCountries; i++)
        {
            if (Country.TryNormalize(request.Countries[i], out var country, out var error))
            {
                countries.Add(country);
            }
            else
            {
                violations.Add($"countries[{i}]", error);
            }
        }

        var prefixes = new List<string>();
        if (request.Prefixes.Count > MaxPrefixes)
        {
            violations.Add("prefixes", $"holds {request.Prefixes.Count} prefixes; at most {MaxPrefixes}");
        }

        for (var i = 0; i < request.Prefixes.Count && i < MaxPrefixes; i++)
        {
            var prefix = request.Prefixes[i].Trim();
            if (PrefixPattern().IsMatch(prefix))
            {
                prefixes.Add(prefix);
            }
            else
            {
                violations.Add($"prefixes[{i}]", $"'{LogRedaction.MaskNumbers(request.Prefixes[i])}' is not an E.164 prefix: '+' and 1-15 digits, e.g. +8525");
            }
        }

        if (request.Countries.Count == 0 && request.Prefixes.Count == 0)
        {
            violations.Add("countries", "a route serves at least one country or one E.164 prefix (give countries, prefixes or both)");
        }

        var cost = Cost(request.Cost, violations);
        if (request.Priority is < 0 or > MaxPriority)
        {
            violations.Add("priority", $"{request.Priority} is out of range: 0 to {MaxPriority}, lower is preferred");
        }

        violations.ThrowIfAny();
        var definition = new RouteDefinition(routeId!, connection, countries.Distinct().ToList(), prefixes.Distinct().ToList(), cost, request.Priority, !request.HasEnabled || request.Enabled);
        return (await grains.GetGrain<ICarrierRouteGrain>(routeId!).UpsertAsync(definition).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<V1.Route> GetRoute(GetRouteRequest request, ServerCallContext context)
    {
        var routeId = Validate.Required((value, v) => RouteId("route_id", value, v), request.RouteId);
        return (await grains.GetGrain<ICarrierRouteGrain>(routeId).GetAsync().WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<ListRoutesResponse> ListRoutes(ListRoutesRequest request, ServerCallContext context)
    {
        var routes = await Directory.ListRoutesAsync().WaitAsync(context.CancellationToken);
        return new ListRoutesResponse { Routes = { routes.OrderBy(r => r.Definition.RouteId, StringComparer.Ordinal).Select(r => r.ToProto()) } };
    }

    public override async Task<V1.Route> SetRouteOverride(SetRouteOverrideRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var routeId = RouteId("route_id", request.RouteId, violations);
        var value = request.Override.FromProto();
        if (value is null)
        {
            violations.Add("override", $"{request.Override} is not an override: use NONE, DRAIN or DISABLE");
        }

        violations.ThrowIfAny();
        return (await grains.GetGrain<ICarrierRouteGrain>(routeId!).SetOverrideAsync(value!.Value).WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<V1.RouteTable> SetRouteTable(SetRouteTableRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var country = Validate.Country(request.Country, violations);
        if (request.Primary.Count == 0)
        {
            violations.Add("primary", "needs at least one route");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, ids) in new[] { ("primary", request.Primary), ("secondary", request.Secondary) })
        {
            if (ids.Count > MaxTableRoutes)
            {
                violations.Add(field, $"holds {ids.Count} routes; at most {MaxTableRoutes}");
                continue;
            }

            for (var i = 0; i < ids.Count; i++)
            {
                if (RouteId($"{field}[{i}]", ids[i], violations) is { } id && !seen.Add(id))
                {
                    violations.Add($"{field}[{i}]", $"route {Echo.Quote(id)} appears more than once in the table");
                }
            }
        }

        violations.ThrowIfAny();
        var table = await grains.GetGrain<IRouteTableGrain>(country!).SetAsync([.. request.Primary], [.. request.Secondary]).WaitAsync(context.CancellationToken);
        return table.ToProto();
    }

    public override async Task<V1.RouteTable> GetRouteTable(GetRouteTableRequest request, ServerCallContext context)
    {
        var country = Validate.Required(Validate.Country, request.Country);
        return (await grains.GetGrain<IRouteTableGrain>(country).GetAsync().WaitAsync(context.CancellationToken)).ToProto();
    }

    public override async Task<ListRouteTablesResponse> ListRouteTables(ListRouteTablesRequest request, ServerCallContext context)
    {
        var tables = await Directory.ListTablesAsync().WaitAsync(context.CancellationToken);
        return new ListRouteTablesResponse { Tables = { tables.OrderBy(t => t.Country, StringComparer.Ordinal).Select(t => t.ToProto()) } };
    }

    public override async Task<V1.RouteDecision> ExplainRoute(ExplainRouteRequest request, ServerCallContext context)
    {
        if (!E164.TryParse(request.Destination, out var destination, out var error))
        {
            var violations = new FieldViolations();
            violations.Add("destination", MaskedNumberError(request.Destination, error));
            violations.ThrowIfAny();
        }

        return (await grains.GetGrain<IRouteSelectorGrain>(0).ExplainAsync(destination!).WaitAsync(context.CancellationToken)).ToProto();
    }

    /// <summary>E.164's complaint with the input masked: a refusal never quotes a full number, with or without its '+'.</summary>
    private static string MaskedNumberError(string input, string error)
    {
        var text = input.Trim();
        return LogRedaction.MaskNumbers(text.Length > 0 ? error.Replace(text, E164.Mask(text), StringComparison.Ordinal) : error);
    }

    private static string? RouteId(string field, string value, FieldViolations violations)
    {
        if (RouteIdPattern().IsMatch(value))
        {
            return value;
        }

        violations.Add(field, value.Length == 0
            ? "is required"
            : $"{Echo.Quote(value)} is not a route id: 1-64 characters of lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        return null;
    }

    private static decimal Cost(string value, FieldViolations violations)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cost) && cost.Scale <= MaxCostDecimals)
        {
            return cost;
        }

        violations.Add("cost", $"{Echo.Quote(value)} is not a cost: a non-negative decimal number with at most {MaxCostDecimals} decimals, e.g. 0.0042");
        return 0;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex RouteIdPattern();

    [GeneratedRegex(@"^\+[0-9]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}
