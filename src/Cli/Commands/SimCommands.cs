using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>poolctl sim list|faults|send: the embedded carrier simulator (local runs; needs an admin key).</summary>
internal static class SimCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var sim = new Command("sim", "The embedded carrier simulator: inject faults into simulated routes, send MO SMS from them (needs an admin key).");
        sim.Subcommands.Add(List(context));
        sim.Subcommands.Add(Faults(context));
        sim.Subcommands.Add(Send(context));
        sim.Subcommands.Add(Handset(context));
        return sim;
    }

    private static Command List(Func<CliContext> context)
    {
        var command = new Command("list", "List the simulated routes with their faults and counters.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Simulator.SimulatorClient(ctx.Invoker).ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest(), cancellationToken: cancellationToken);
            Output.Rows(ctx, response.Routes, "no simulated routes", ["route", "port", "latency", "error rate", "throttle rate", "outage", "dlr failures", "bound", "submits"], r =>
                [r.Route, Output.Count(r.Port), Output.Span(r.Latency), Rate(r.SubmitErrorRate), Rate(r.ThrottleRate), r.Outage ? "yes" : "no", Rate(r.DlrFailureRate),
                 Output.Count(r.BoundSessions), Output.Count(r.Submissions)]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Faults(Func<CliContext> context)
    {
        var route = new Argument<string>("route") { Description = "The simulated route, e.g. sim-a." };
        var latency = new Option<string?>("--latency") { Description = "Added before each submit answer, e.g. 0.2s, 2s (0 to 1m)." };
        var errorRate = new Option<double?>("--error-rate") { Description = "Share of submits refused with ESME_RSYSERR, 0 to 1." };
        var throttleRate = new Option<double?>("--throttle-rate") { Description = "Share of submits answered ESME_RTHROTTLED, 0 to 1." };
        var outage = new Option<bool?>("--outage") { Description = "true: refuse binds and drop sessions; false: accept them again." };
        var dlrFailureRate = new Option<double?>("--dlr-failure-rate") { Description = "Share of delivery receipts reporting UNDELIV, 0 to 1." };
        var clear = new Option<bool>("--clear") { Description = "Remove every fault (the other options then apply on top)." };
        var command = new Command("faults", "Change a simulated route's faults; options not given keep their value.") { route, latency, errorRate, throttleRate, outage, dlrFailureRate, clear };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new SetSimulatorFaultsRequest { Route = parse.GetValue(route)! };
            if (parse.GetValue(clear))
            {
                (request.Latency, request.SubmitErrorRate, request.ThrottleRate, request.Outage, request.DlrFailureRate) = (new Duration(), 0, 0, false, 0);
            }

            if (parse.GetValue(latency) is { } text)
            {
                if (!Durations.TryParse(text, out var span, allowZero: true))
                {
                    await ctx.Error.WriteLineAsync($"error: --latency '{text}' is not a duration ({Durations.Hint}; fractions such as 0.2s too)");
                    return ExitCodes.Usage;
                }

                request.Latency = Duration.FromTimeSpan(span.Value);
            }

            if (parse.GetValue(errorRate) is { } error)
            {
                request.SubmitErrorRate = error;
            }

            if (parse.GetValue(throttleRate) is { } throttle)
            {
                request.ThrottleRate = throttle;
            }

            if (parse.GetValue(outage) is { } down)
            {
                request.Outage = down;
            }

            if (parse.GetValue(dlrFailureRate) is { } dlr)
            {
                request.DlrFailureRate = dlr;
            }

            var updated = await new Simulator.SimulatorClient(ctx.Invoker).SetSimulatorFaultsAsync(request, cancellationToken: cancellationToken);
            Output.Print(ctx, updated, table =>
            {
                table.AddRow("route", updated.Route);
                table.AddRow("latency", Output.Span(updated.Latency));
                table.AddRow("error rate", Rate(updated.SubmitErrorRate));
                table.AddRow("throttle rate", Rate(updated.ThrottleRate));
                table.AddRow("outage", updated.Outage ? "yes" : "no");
                table.AddRow("dlr failure rate", Rate(updated.DlrFailureRate));
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Send(Func<CliContext> context)
    {
        var route = new Argument<string>("route") { Description = "The simulated route to send from, e.g. sim-a." };
        var to = new Option<string>("--to") { Description = "The Pool number to send to (E.164).", Required = true };
        var from = new Option<string>("--from") { Description = "The sender (default 'Telegram').", DefaultValueFactory = _ => "Telegram" };
        var text = new Option<string>("--text") { Description = "The message text.", Required = true };
        var sar = new Option<bool>("--sar") { Description = "Split a long message with SAR TLVs instead of a UDH." };
        var command = new Command("send", "Send an MO SMS from a simulated route's SMSC to one of Pool's numbers over SMPP.") { route, to, from, text, sar };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Simulator.SimulatorClient(ctx.Invoker).SendSimulatedMessageAsync(
                new SendSimulatedMessageRequest { Route = parse.GetValue(route)!, To = parse.GetValue(to)!, From = parse.GetValue(from)!, Text = parse.GetValue(text)!, Sar = parse.GetValue(sar) },
                cancellationToken: cancellationToken);
            await ctx.Output.WriteLineAsync(ctx.Json ? Output.Json(response) : $"sent in {response.Parts} part(s)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Handset(Func<CliContext> context)
    {
        var route = new Argument<string>("route") { Description = "The simulated route, e.g. sim-a." };
        var limit = WholeNumbers.Optional("--limit", "At most this many (default 20).");
        var command = new Command("handset", "Show the SMS a simulated route delivered to end users, newest first (e.g. to read a verification code).") { route, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Simulator.SimulatorClient(ctx.Invoker).ListSimulatedHandsetAsync(
                new ListSimulatedHandsetRequest { Route = parse.GetValue(route)!, Limit = parse.GetValue(limit) ?? 0 }, cancellationToken: cancellationToken);
            Output.Rows(ctx, response.Messages, "nothing delivered yet", ["time", "from", "to", "text"], m => [Output.Time(m.Time), m.From, m.To, m.Text]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Rate(double rate) => rate.ToString("0.##", CultureInfo.InvariantCulture);
}
