using System.CommandLine;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl routes list|show|set|override|table|tables|explain: carrier routes and route tables (operator commands: an admin key is needed).</summary>
internal static class RoutesCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var routes = new Command("routes", "Carrier routes, per-country route tables, and why a message takes the route it takes (needs an admin key).");
        routes.Subcommands.Add(List(context));
        routes.Subcommands.Add(Show(context));
        routes.Subcommands.Add(Set(context));
        routes.Subcommands.Add(Override(context));
        routes.Subcommands.Add(Table(context));
        routes.Subcommands.Add(Tables(context));
        routes.Subcommands.Add(Explain(context));
        return routes;
    }

    private static Argument<string> RouteArgument(string description) => new("route") { Description = description };

    private static Command List(Func<CliContext> context)
    {
        var command = new Command("list", "List routes with their live health.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Routes.RoutesClient(ctx.Invoker).ListRoutesAsync(new ListRoutesRequest(), cancellationToken: cancellationToken);
            RouteOutput.Routes(ctx, response.Routes);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Func<CliContext> context)
    {
        var route = RouteArgument("The route to show.");
        var command = new Command("show", "Show a route: its definition, override and live health (state, circuit, score, samples).") { route };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var shown = await new Routes.RoutesClient(ctx.Invoker).GetRouteAsync(new GetRouteRequest { RouteId = parse.GetValue(route)! }, cancellationToken: cancellationToken);
            RouteOutput.Route(ctx, shown);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Set(Func<CliContext> context)
    {
        var route = RouteArgument("The route's id: lowercase letters, digits, '.', '_' and '-'.");
        var connection = new Option<string>("--connection") { Description = "The carrier connection it submits through.", Required = true };
        var countries = new Option<string[]>("--country", "-c") { Description = "An ISO country it delivers to, e.g. HK (repeatable, or comma-separated)." };
        var prefixes = new Option<string[]>("--prefix") { Description = "An E.164 prefix it delivers to, e.g. +8525 (repeatable, or comma-separated)." };
        var cost = new Option<string?>("--cost") { Description = "Cost per message, a decimal number such as 0.0042 (default 0)." };
        var priority = WholeNumbers.Optional("--priority", "0 to 1000, lower is preferred (default 0).");
        var disabled = new Option<bool>("--disabled") { Description = "Define it out of service (default: enabled)." };
        var command = new Command("set", "Define a route or replace its definition; options left out take their defaults (its override and health are kept).")
        {
            route, connection, countries, prefixes, cost, priority, disabled,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new UpsertRouteRequest
            {
                RouteId = parse.GetValue(route)!,
                Connection = parse.GetValue(connection)!,
                Countries = { Split(parse.GetValue(countries)) },
                Prefixes = { Split(parse.GetValue(prefixes)) },
                Cost = parse.GetValue(cost) ?? "",
                Priority = parse.GetValue(priority) ?? 0,
                Enabled = !parse.GetValue(disabled),
            };
            var upserted = await new Routes.RoutesClient(ctx.Invoker).UpsertRouteAsync(request, cancellationToken: cancellationToken);
            RouteOutput.Route(ctx, upserted);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Override(Func<CliContext> context)
    {
        var route = RouteArgument("The route to override.");
        var value = new Argument<string>("override") { Description = "none (health decides), drain (no new messages) or disable (out of service, health forgotten)." };
        value.AcceptOnlyFromAmong("none", "drain", "disable");
        var command = new Command("override", "Override a route whatever its health says, or lift the override (none).") { route, value };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new SetRouteOverrideRequest
            {
                RouteId = parse.GetValue(route)!,
                Override = parse.GetValue(value) switch
                {
                    "drain" => RouteOverride.Drain,
                    "disable" => RouteOverride.Disable,
                    _ => RouteOverride.None,
                },
            };
            RouteOutput.Route(ctx, await new Routes.RoutesClient(ctx.Invoker).SetRouteOverrideAsync(request, cancellationToken: cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Table(Func<CliContext> context)
    {
        var country = new Argument<string>("country") { Description = "ISO country, e.g. HK." };
        var primary = new Option<string[]>("--primary") { Description = "Set the table: the primary routes, e.g. r1,r2 (repeatable, or comma-separated)." };
        var secondary = new Option<string[]>("--secondary") { Description = "The secondary routes, tried when no primary route is usable (needs --primary)." };
        var command = new Command("table", "Show a country's route table, or set it with --primary [--secondary] (both lists are replaced).") { country, primary, secondary };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var client = new Routes.RoutesClient(ctx.Invoker);
            var primaries = Split(parse.GetValue(primary));
            var secondaries = Split(parse.GetValue(secondary));
            if (primaries.Count == 0 && secondaries.Count == 0)
            {
                RouteOutput.Table(ctx, await client.GetRouteTableAsync(new GetRouteTableRequest { Country = parse.GetValue(country)! }, cancellationToken: cancellationToken));
                return ExitCodes.Ok;
            }

            if (primaries.Count == 0)
            {
                await ctx.Error.WriteLineAsync("error: --primary is required to set a table: both lists are replaced, and a table needs at least one primary route");
                return ExitCodes.Usage;
            }

            var request = new SetRouteTableRequest { Country = parse.GetValue(country)!, Primary = { primaries }, Secondary = { secondaries } };
            RouteOutput.Table(ctx, await client.SetRouteTableAsync(request, cancellationToken: cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Tables(Func<CliContext> context)
    {
        var command = new Command("tables", "List every country's route table.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Routes.RoutesClient(ctx.Invoker).ListRouteTablesAsync(new ListRouteTablesRequest(), cancellationToken: cancellationToken);
            RouteOutput.Tables(ctx, response.Tables);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Explain(Func<CliContext> context)
    {
        var destination = new Argument<string>("destination") { Description = "The destination number in E.164, e.g. +85251234567." };
        var command = new Command(
            "explain",
            "Which route a message to the destination would take now, and why: every route of its country's table with its state, score and reason "
            + "(nothing is sent; exit 1 when no route is usable).")
        {
            destination,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var decision = await new Routes.RoutesClient(ctx.Invoker).ExplainRouteAsync(new ExplainRouteRequest { Destination = parse.GetValue(destination)! }, cancellationToken: cancellationToken);
            RouteOutput.Decision(ctx, decision);
            return decision.RouteId.Length > 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Values of a repeatable option, each possibly comma-separated, blanks dropped.</summary>
    private static List<string> Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
