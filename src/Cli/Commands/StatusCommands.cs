using System.CommandLine;
using System.Globalization;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>poolctl status: the cluster on one screen (operator command: an admin key is needed).</summary>
internal static class StatusCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var command = new Command(
            "status",
            "The cluster on one screen: silos, pools (numbers by state, % available), routes (state, circuit, success rate), the webhook backlog and SMPP binds; --json prints it all as one object.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var status = await new Operations.OperationsClient(ctx.Invoker).GetStatusAsync(new GetStatusRequest(), cancellationToken: cancellationToken);
            Print(ctx, status);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CliContext context, ClusterStatus status)
    {
        if (context.Json)
        {
            context.Output.WriteLine(Output.Json(status));
            return;
        }

        var console = context.Console;
        console.Write(new Rule($"Pool status at {Output.Time(status.At)}").LeftJustified());
        Section(console, "Silos", status.Silos, "no silos", ["address", "name", "status", "activations", "started"], s =>
            [s.Address, s.Name, s.Status, Output.Count(s.Activations), Output.Time(s.StartedAt)]);
        Section(console, "Pools", status.Pools, "no pools", ["pool", "country", "available", "leased", "cooling", "watchlisted", "retired", "total", "% available"], p =>
            [p.Pool, p.Country, Output.Count(p.Available), Output.Count(p.Leased), Output.Count(p.Cooling), Output.Count(p.Watchlisted), Output.Count(p.Retired), Output.Count(p.Total), Percent(p.PercentAvailable)]);
        Section(console, "Routes", status.Routes, "no routes", ["route", "connection", "state", "circuit", "override", "submits", "success"], r =>
            [r.Route, r.Connection, r.State, r.Circuit, r.Override, Output.Count(r.Submits), r.HasSuccessRate ? Percent(r.SuccessRate * 100) : "-"]);
        var webhooks = status.Webhooks ?? new WebhookBacklog();
        console.Write(new Rule("Webhooks").LeftJustified());
        console.WriteLine(webhooks.Pending == 0
            ? "backlog: 0 pending"
            : $"backlog: {Output.Count(webhooks.Pending)} pending, oldest waiting {Output.Span(webhooks.OldestAge, "-")}");
        Section(console, "SMPP binds", status.Binds, "no SMPP binds", ["connection", "silo", "state", "window", "throttles", "reported"], b =>
            [b.Connection, b.Silo, b.Stale ? $"{b.State} (stale)" : b.State, $"{b.WindowInUse}/{b.WindowSize}", Output.Count(b.Throttles), Output.Time(b.ReportedAt)]);
    }

    private static void Section<T>(IAnsiConsole console, string title, IReadOnlyCollection<T> items, string empty, string[] columns, Func<T, string[]> row)
    {
        console.Write(new Rule(title).LeftJustified());
        if (items.Count == 0)
        {
            console.WriteLine(empty);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }

        foreach (var item in items)
        {
            table.AddRow([.. row(item).Select(Markup.Escape)]);
        }

        console.Write(table);
    }

    private static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
