using System.CommandLine;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl leases show|list: looking at the caller's leases.</summary>
internal static class LeasesCommands
{
    /// <summary>The most leases the API returns per page.</summary>
    public const int MaxPageSize = 500;

    public static Command Create(Func<CliContext> context)
    {
        var leases = new Command("leases", "Look at leases.");
        leases.Subcommands.Add(Show(context));
        leases.Subcommands.Add(List(context));
        return leases;
    }

    private static Command Show(Func<CliContext> context)
    {
        var leaseId = new Argument<string>("lease-id") { Description = "The lease to show." };
        var command = new Command("show", "Show one of your leases.") { leaseId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var lease = await new Leases.LeasesClient(ctx.Invoker).GetLeaseAsync(new GetLeaseRequest { LeaseId = parse.GetValue(leaseId)! }, cancellationToken: cancellationToken);
            Output.Lease(ctx, lease);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Func<CliContext> context)
    {
        var active = new Option<bool>("--active", "-a") { Description = "Only leases that still hold their number." };
        var limit = WholeNumbers.WithDefault("--limit", "-n", 50, "Show at most this many leases, newest first.");
        var command = new Command("list", "List your leases, newest first (a few milliseconds behind; 'leases show' is always current).") { active, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var max = parse.GetValue(limit);
            if (max < 1)
            {
                await ctx.Error.WriteLineAsync($"error: --limit {max} must be at least 1");
                return ExitCodes.Usage;
            }

            var client = new Leases.LeasesClient(ctx.Invoker);
            var leases = new List<Lease>();
            var request = new ListLeasesRequest { ActiveOnly = parse.GetValue(active) };
            do
            {
                request.PageSize = Math.Min(max - leases.Count, MaxPageSize);
                var page = await client.ListLeasesAsync(request, cancellationToken: cancellationToken);
                leases.AddRange(page.Leases.Take(max - leases.Count));
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0 && leases.Count < max);

            Output.Rows(
                ctx,
                leases,
                request.ActiveOnly ? "no active leases" : "no leases",
                ["lease", "number", "pool", "service", "state", "outcome", "created", "expires"],
                lease =>
                [
                    lease.LeaseId,
                    lease.Number,
                    lease.Pool,
                    lease.Service,
                    Output.Name(lease.State),
                    lease.Outcome == LeaseOutcome.Unspecified ? "" : Output.Name(lease.Outcome),
                    Output.Time(lease.CreateTime),
                    Output.Time(lease.ExpireTime),
                ]);
            return ExitCodes.Ok;
        });
        return command;
    }
}
