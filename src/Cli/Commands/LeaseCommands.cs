using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl lease | extend | release: the lease flow, as a client would drive it.</summary>
internal static class LeaseCommands
{
    public static Command Lease(Func<CliContext> context)
    {
        var country = new Option<string>("--country", "-c") { Description = "ISO country of the number, e.g. HK.", Required = true };
        var service = new Option<string>("--service", "-s") { Description = "The service the number is for, e.g. telegram.", Required = true };
        var pool = new Option<string?>("--pool", "-p") { Description = "Take the number from this pool only." };
        var ttl = new Option<string?>("--ttl") { Description = "How long to hold the number: 90s, 20m, 2h (default 20m, 1m to 24h)." };
        var key = new Option<string?>("--idempotency-key", "-k") { Description = "Makes the call safe to retry: the same key returns the same lease." };
        var exclude = new Option<string[]>("--exclude", "-x") { Description = "Do not take a number starting with this E.164 prefix, e.g. +8525 (repeatable)." };
        var command = new Command("lease", "Lease a number.") { country, service, pool, ttl, key, exclude };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new CreateLeaseRequest
            {
                Country = parse.GetValue(country)!,
                Service = parse.GetValue(service)!,
                Pool = parse.GetValue(pool) ?? "",
                IdempotencyKey = parse.GetValue(key) ?? "",
                ExcludePrefixes = { parse.GetValue(exclude) ?? [] },
            };
            if (parse.GetValue(ttl) is { } ttlText)
            {
                if (!Durations.TryParse(ttlText, out var duration))
                {
                    await ctx.Error.WriteLineAsync($"error: --ttl '{ttlText}' is not a duration; {Durations.Hint}");
                    return ExitCodes.Usage;
                }

                request.Ttl = Duration.FromTimeSpan(duration.Value);
            }

            var lease = await new Leases.LeasesClient(ctx.Invoker).CreateLeaseAsync(request, cancellationToken: cancellationToken);
            Output.Lease(ctx, lease);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Release(Func<CliContext> context)
    {
        var leaseId = new Argument<string>("lease-id") { Description = "The lease to end." };
        var outcome = new Option<string>("--outcome", "-o")
        {
            Description = "Why it ends: completed, cancelled or bad-number.",
            DefaultValueFactory = _ => "completed",
        };
        outcome.AcceptOnlyFromAmong("completed", "cancelled", "bad-number");
        var command = new Command("release", "End a lease and give its number back.") { leaseId, outcome };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new ReleaseLeaseRequest
            {
                LeaseId = parse.GetValue(leaseId)!,
                Outcome = parse.GetValue(outcome) switch
                {
                    "cancelled" => LeaseOutcome.Cancelled,
                    "bad-number" => LeaseOutcome.BadNumber,
                    _ => LeaseOutcome.Completed,
                },
            };
            var lease = await new Leases.LeasesClient(ctx.Invoker).ReleaseLeaseAsync(request, cancellationToken: cancellationToken);
            Output.Lease(ctx, lease);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Extend(Func<CliContext> context)
    {
        var leaseId = new Argument<string>("lease-id") { Description = "The lease to extend." };
        var by = new Option<string>("--by") { Description = "How much later the lease should end: 90s, 10m, 1h (up to the pool's maximum lease time).", Required = true };
        var command = new Command("extend", "Push a lease's expiry later.") { leaseId, by };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var byText = parse.GetValue(by)!;
            if (!Durations.TryParse(byText, out var duration))
            {
                await ctx.Error.WriteLineAsync($"error: --by '{byText}' is not a duration; {Durations.Hint}");
                return ExitCodes.Usage;
            }

            var request = new ExtendLeaseRequest { LeaseId = parse.GetValue(leaseId)!, ExtendBy = Duration.FromTimeSpan(duration.Value) };
            var lease = await new Leases.LeasesClient(ctx.Invoker).ExtendLeaseAsync(request, cancellationToken: cancellationToken);
            Output.Lease(ctx, lease);
            return ExitCodes.Ok;
        });
        return command;
    }
}
