using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl numbers watchlist|reinstate|retire: an operator's hand on a number's life.</summary>
internal static class NumberStateCommands
{
    public static Command Watchlist(Func<CliContext> context)
    {
        var number = NumberArgument();
        var reason = ReasonOption("Why the number goes into quarantine, for the record.");
        var until = new Option<string?>("--until") { Description = "When the quarantine ends, e.g. 2026-12-01T00:00:00Z (default: now + the pool's quarantine)." };
        var duration = new Option<string?>("--for") { Description = "How long the quarantine lasts from now, e.g. 6h or 7d (instead of --until)." };
        var command = new Command("watchlist", "Put a number in quarantine: it is not leased until the quarantine ends or it is reinstated.") { number, reason, until, duration };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new WatchlistNumberRequest { Number = parse.GetValue(number)!, Reason = parse.GetValue(reason)! };
            var untilText = parse.GetValue(until);
            var forText = parse.GetValue(duration);
            if (untilText is not null && forText is not null)
            {
                await ctx.Error.WriteLineAsync("error: --until and --for cannot be used together; give the end of the quarantine or its length");
                return ExitCodes.Usage;
            }

            if (untilText is not null)
            {
                if (!DateTimeOffset.TryParse(untilText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var end))
                {
                    await ctx.Error.WriteLineAsync($"error: --until '{untilText}' is not a time; use ISO 8601, e.g. 2026-12-01T00:00:00Z");
                    return ExitCodes.Usage;
                }

                request.Until = Timestamp.FromDateTimeOffset(end);
            }
            else if (forText is not null)
            {
                if (!Durations.TryParse(forText, out var length))
                {
                    await ctx.Error.WriteLineAsync($"error: --for '{forText}' is not a duration; {Durations.Hint}");
                    return ExitCodes.Usage;
                }

                request.Until = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow + length.Value);
            }

            var watchlisted = await new Numbers.NumbersClient(ctx.Invoker).WatchlistNumberAsync(request, cancellationToken: cancellationToken);
            Output.Number(ctx, watchlisted);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Reinstate(Func<CliContext> context)
    {
        var number = NumberArgument();
        var command = new Command("reinstate", "Take a watchlisted number out of quarantine.") { number };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new ReinstateNumberRequest { Number = parse.GetValue(number)! };
            var reinstated = await new Numbers.NumbersClient(ctx.Invoker).ReinstateNumberAsync(request, cancellationToken: cancellationToken);
            Output.Number(ctx, reinstated);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Retire(Func<CliContext> context)
    {
        var number = NumberArgument();
        var reason = ReasonOption("Why the number leaves service for good, for the record.");
        var command = new Command("retire", "Take a number out of service for good.") { number, reason };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new RetireNumberRequest { Number = parse.GetValue(number)!, Reason = parse.GetValue(reason)! };
            var retired = await new Numbers.NumbersClient(ctx.Invoker).RetireNumberAsync(request, cancellationToken: cancellationToken);
            Output.Number(ctx, retired);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Move(Func<CliContext> context)
    {
        var number = NumberArgument();
        var pool = new Option<string>("--pool", "-p") { Description = "The pool to move the number to (same country).", Required = true };
        var command = new Command("move", "Move a number to another pool of its country.") { number, pool };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new MoveNumberRequest { Number = parse.GetValue(number)!, Pool = parse.GetValue(pool)! };
            var moved = await new Numbers.NumbersClient(ctx.Invoker).MoveNumberAsync(request, cancellationToken: cancellationToken);
            Output.Number(ctx, moved);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> NumberArgument() => new("number") { Description = "The number in E.164 form, e.g. +85251234567." };

    private static Option<string> ReasonOption(string description) => new("--reason", "-r") { Description = description, Required = true };
}
