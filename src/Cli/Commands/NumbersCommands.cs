using System.CommandLine;
using Spectre.Console;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl numbers add|import|show|watchlist|reinstate|retire: the number inventory.</summary>
internal static class NumbersCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var numbers = new Command("numbers", "Add numbers to pools and look them up.");
        numbers.Subcommands.Add(Add(context));
        numbers.Subcommands.Add(ImportCommand.Create(context));
        numbers.Subcommands.Add(Show(context));
        numbers.Subcommands.Add(NumberStateCommands.Watchlist(context));
        numbers.Subcommands.Add(NumberStateCommands.Reinstate(context));
        numbers.Subcommands.Add(NumberStateCommands.Retire(context));
        numbers.Subcommands.Add(NumberStateCommands.Move(context));
        return numbers;
    }

    private static Command Add(Func<CliContext> context)
    {
        var country = new Option<string>("--country", "-c") { Description = "ISO country of the numbers, e.g. HK.", Required = true };
        var pool = new Option<string?>("--pool", "-p") { Description = "Pool to add to (default: the country's pool, e.g. 'hk')." };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Read numbers from a file, one per line ('#' starts a comment); '-' reads standard input." };
        var list = new Argument<string[]>("numbers") { Description = "Numbers in E.164 form, e.g. +85251234567.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("add", "Add numbers to a pool (all or nothing).") { country, pool, file, list };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new AddNumbersRequest { Country = parse.GetValue(country)!, Pool = parse.GetValue(pool) ?? "" };
            request.Numbers.Add(parse.GetValue(list) ?? []);
            if (parse.GetValue(file) is { } source)
            {
                request.Numbers.Add(await ReadNumbersAsync(ctx, source, cancellationToken));
            }

            if (request.Numbers.Count == 0)
            {
                await ctx.Error.WriteLineAsync("error: no numbers given; pass them as arguments or with --file");
                return ExitCodes.Usage;
            }

            var response = await new Numbers.NumbersClient(ctx.Invoker).AddNumbersAsync(request, cancellationToken: cancellationToken);
            Output.Print(ctx, response, table =>
            {
                table.AddRow("pool", Markup.Escape(response.Pool));
                table.AddRow("added", response.Added.ToString(System.Globalization.CultureInfo.InvariantCulture));
                table.AddRow("already present", response.AlreadyPresent.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Func<CliContext> context)
    {
        var number = new Argument<string>("number") { Description = "The number in E.164 form." };
        var command = new Command("show", "Show a number and its state.") { number };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Numbers.NumbersClient(ctx.Invoker).GetNumberAsync(new GetNumberRequest { Number = parse.GetValue(number)! }, cancellationToken: cancellationToken);
            Output.Number(ctx, response);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<IEnumerable<string>> ReadNumbersAsync(CliContext ctx, FileInfo source, CancellationToken cancellationToken)
    {
        var text = source.Name == "-"
            ? await ctx.Input.ReadToEndAsync(cancellationToken)
            : await File.ReadAllTextAsync(source.FullName, cancellationToken);
        return text.Split('\n')
            .Select(line => line.Split('#', 2)[0].Trim())
            .Where(line => line.Length > 0);
    }
}
