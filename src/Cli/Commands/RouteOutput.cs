using System.Globalization;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>Prints routes, route tables and route decisions.</summary>
internal static class RouteOutput
{
    public static void Route(CliContext context, Route route) => Output.Print(context, route, table =>
    {
        table.AddRow("route", Markup.Escape(route.RouteId));
        table.AddRow("connection", Markup.Escape(route.Connection));
        table.AddRow("countries", Markup.Escape(List(route.Countries)));
        table.AddRow("prefixes", Markup.Escape(List(route.Prefixes)));
        table.AddRow("cost", Markup.Escape(route.Cost));
        table.AddRow("priority", Output.Count(route.Priority));
        table.AddRow("enabled", route.Enabled ? "yes" : "no");
        table.AddRow("override", Output.Name(route.Override));
        var health = route.Health ?? new RouteHealth();
        table.AddRow("state", Output.Name(health.State));
        table.AddRow("circuit", Output.Name(health.Circuit));
        table.AddRow("score", Score(health.Score));
        table.AddRow("reason", Markup.Escape(health.Reason));
        table.AddRow("submits", Markup.Escape($"{health.Accepted} accepted, {health.Errors} errors, {health.Throttled} throttled, {health.Timeouts} timeouts"));
        table.AddRow("receipts", Markup.Escape($"{health.Delivered} delivered, {health.Undelivered} undelivered"));
        table.AddRow("mean latency", health.MeanLatency is { } latency ? $"{latency.ToTimeSpan().TotalMilliseconds:0} ms" : "");
        if (health.OpenUntilTime is not null)
        {
            table.AddRow("open until", Output.Time(health.OpenUntilTime));
        }

        if (health.HoldUntilTime is not null)
        {
            table.AddRow("held until", Output.Time(health.HoldUntilTime));
        }

        table.AddRow("updated", Output.Time(route.UpdateTime));
    });

    public static void Routes(CliContext context, IReadOnlyCollection<Route> routes) => Output.Rows(
        context,
        routes,
        "no routes",
        ["route", "connection", "countries", "prefixes", "cost", "priority", "enabled", "override", "state", "circuit", "score"],
        route =>
        [
            route.RouteId,
            route.Connection,
            List(route.Countries),
            List(route.Prefixes),
            route.Cost,
            Output.Count(route.Priority),
            route.Enabled ? "yes" : "no",
            Output.Name(route.Override),
            Output.Name(route.Health?.State ?? RouteState.Unspecified),
            Output.Name(route.Health?.Circuit ?? CircuitState.Unspecified),
            route.Health is null ? "" : Score(route.Health.Score),
        ]);

    public static void Table(CliContext context, RouteTable table) => Output.Print(context, table, rows =>
    {
        rows.AddRow("country", table.Country);
        rows.AddRow("primary", Markup.Escape(table.Primary.Count == 0 ? "none (no table: nothing is routed)" : string.Join(", ", table.Primary)));
        rows.AddRow("secondary", Markup.Escape(table.Secondary.Count == 0 ? "none" : string.Join(", ", table.Secondary)));
        rows.AddRow("updated", Output.Time(table.UpdateTime));
    });

    public static void Tables(CliContext context, IReadOnlyCollection<RouteTable> tables) => Output.Rows(
        context,
        tables,
        "no route tables",
        ["country", "primary", "secondary", "updated"],
        table => [table.Country, string.Join(", ", table.Primary), string.Join(", ", table.Secondary), Output.Time(table.UpdateTime)]);

    /// <summary>For scripts the decision as one object; for people the verdict, then every route weighed with why.</summary>
    public static void Decision(CliContext context, RouteDecision decision)
    {
        if (context.Json)
        {
            context.Output.WriteLine(Output.Json(decision));
            return;
        }

        var verdict = decision.RouteId.Length > 0
            ? $"route: {decision.RouteId} ({Output.Name(decision.List)} list, connection {decision.Connection}{(decision.Probe ? ", as a probe" : "")})"
            : "route: none (a message would be refused: UNAVAILABLE)";
        context.Console.WriteLine($"destination: {decision.Destination} ({decision.Country})");
        context.Console.WriteLine(verdict);
        context.Console.WriteLine($"why: {decision.Summary}");
        if (decision.Considered.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "route", "list", "state", "circuit", "score", "taken", "reason" })
        {
            table.AddColumn(column);
        }

        foreach (var route in decision.Considered)
        {
            table.AddRow(
                [.. new[]
                {
                    route.RouteId,
                    Output.Name(route.List),
                    route.State == RouteState.Unspecified ? "" : Output.Name(route.State),
                    route.Circuit == CircuitState.Unspecified ? "" : Output.Name(route.Circuit),
                    route.HasScore ? Score(route.Score) : "",
                    route.Taken ? "yes" : "",
                    route.Reason,
                }.Select(Markup.Escape)]);
        }

        context.Console.Write(table);
    }

    private static string List(IEnumerable<string> values) => string.Join(",", values) is { Length: > 0 } joined ? joined : "any";

    private static string Score(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);
}
