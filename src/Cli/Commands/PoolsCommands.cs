using System.CommandLine;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>poolctl pools create|policy|list|show: pools and the policy their numbers live by.</summary>
internal static class PoolsCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var pools = new Command("pools", "Create pools, set their policy and look at them.");
        pools.Subcommands.Add(CreatePool(context));
        pools.Subcommands.Add(Policy(context));
        pools.Subcommands.Add(List(context));
        pools.Subcommands.Add(Show(context));
        return pools;
    }

    private static Argument<string> PoolArgument(string description) => new("pool") { Description = description };

    private static Command CreatePool(Func<CliContext> context)
    {
        var pool = PoolArgument("The new pool's name: lowercase letters, digits and '-'.");
        var country = new Option<string>("--country", "-c") { Description = "ISO country of its numbers, e.g. HK.", Required = true };
        var carrier = new Option<string?>("--carrier") { Description = "Carrier of its numbers (free text)." };
        var region = new Option<string?>("--region") { Description = "Region within the country (free text)." };
        var policy = new PolicyOptions();
        var command = new Command("create", "Create a pool; policy options left out take the server's defaults.") { pool, country, carrier, region };
        policy.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new CreatePoolRequest
            {
                Pool = parse.GetValue(pool)!,
                Country = parse.GetValue(country)!,
                Carrier = parse.GetValue(carrier) ?? "",
                Region = parse.GetValue(region) ?? "",
            };
            if (policy.AnyGiven(parse))
            {
                request.Policy = new PoolPolicy();
                if (await ReportAsync(ctx, policy.ApplyTo(parse, request.Policy)))
                {
                    return ExitCodes.Usage;
                }
            }

            var created = await new Pools.PoolsClient(ctx.Invoker).CreatePoolAsync(request, cancellationToken: cancellationToken);
            PoolOutput.Pool(ctx, created);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Policy(Func<CliContext> context)
    {
        var pool = PoolArgument("The pool whose policy changes.");
        var reset = new Option<bool>("--reset") { Description = "Start from the defaults instead of the policy in force: options left out return to their defaults." };
        var policy = new PolicyOptions();
        var command = new Command("policy", "Change a pool's policy: the options given change, the rest stay as they are (see --reset).") { pool, reset };
        policy.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            if (!policy.AnyGiven(parse) && !parse.GetValue(reset))
            {
                await ctx.Error.WriteLineAsync("error: no policy option given; pass the options to change (e.g. --cooldown 0) or --reset");
                return ExitCodes.Usage;
            }

            var client = new Pools.PoolsClient(ctx.Invoker);
            var name = parse.GetValue(pool)!;
            var updated = new PoolPolicy();
            if (await ReportAsync(ctx, policy.ApplyTo(parse, updated)))
            {
                return ExitCodes.Usage;
            }

            if (!parse.GetValue(reset))
            {
                // UpdatePoolPolicy replaces the whole policy: start from the one in force so only the given options change.
                var current = await client.GetPoolAsync(new GetPoolRequest { Pool = name }, cancellationToken: cancellationToken);
                updated = current.Policy?.Clone() ?? new PoolPolicy();
                policy.ApplyTo(parse, updated);
            }

            var result = await client.UpdatePoolPolicyAsync(new UpdatePoolPolicyRequest { Pool = name, Policy = updated }, cancellationToken: cancellationToken);
            PoolOutput.Pool(ctx, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Func<CliContext> context)
    {
        var country = new Option<string?>("--country", "-c") { Description = "Only pools of this ISO country." };
        var command = new Command("list", "List pools by name.") { country };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Pools.PoolsClient(ctx.Invoker).ListPoolsAsync(new ListPoolsRequest { Country = parse.GetValue(country) ?? "" }, cancellationToken: cancellationToken);
            PoolOutput.List(ctx, response.Pools);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Func<CliContext> context)
    {
        var pool = PoolArgument("The pool to show.");
        var command = new Command("show", "Show a pool, its policy and how many of its numbers are in each state.") { pool };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var client = new Pools.PoolsClient(ctx.Invoker);
            var name = parse.GetValue(pool)!;
            var found = await client.GetPoolAsync(new GetPoolRequest { Pool = name }, cancellationToken: cancellationToken);
            var stats = await client.GetPoolStatsAsync(new GetPoolStatsRequest { Pool = found.Pool_ }, cancellationToken: cancellationToken);
            PoolOutput.PoolWithStats(ctx, found, stats);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints each local error; true when there was any.</summary>
    private static async Task<bool> ReportAsync(CliContext ctx, IReadOnlyList<string> errors)
    {
        foreach (var error in errors)
        {
            await ctx.Error.WriteLineAsync($"error: {error}");
        }

        return errors.Count > 0;
    }
}
