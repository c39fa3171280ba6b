using System.CommandLine;
using Grpc.Core;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl watch LEASE_ID | --all: prints SMS as they arrive.</summary>
internal static class WatchCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var leaseId = new Argument<string?>("lease-id") { Description = "The lease to watch (omit with --all).", Arity = ArgumentArity.ZeroOrOne };
        var after = new Option<string?>("--after") { Description = "Resume after this message id (a lease) or cursor (--all), as printed by an earlier watch." };
        var all = new Option<bool>("--all") { Description = "Watch every lease of the caller's tenant, until interrupted." };
        var command = new Command("watch", "Print SMS (with their codes) as they arrive: one lease's until it ends, or with --all every lease's of the tenant.") { leaseId, after, all };
        command.Validators.Add(result =>
        {
            var hasLease = result.GetValue(leaseId) is { Length: > 0 };
            if (hasLease == result.GetValue(all))
            {
                result.AddError("give either a lease id or --all");
            }

            if (result.GetValue(all) && result.GetValue(after) is { } cursor && !long.TryParse(cursor, out _))
            {
                result.AddError($"--after '{cursor}' is not a cursor (with --all, --after takes the number printed in brackets)");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var tenantWide = parse.GetValue(all);
            try
            {
                if (tenantWide)
                {
                    // Until interrupted: the watch reconnects from the last cursor it printed when Pool restarts or the connection drops.
                    var afterCursor = long.Parse(parse.GetValue(after) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                    await foreach (var message in ctx.Client.WatchAllMessagesAsync(afterCursor, cancellationToken))
                    {
                        await PrintAsync(ctx, message, tenantWide);
                        await ctx.Output.FlushAsync(cancellationToken);
                    }

                    return ExitCodes.Ok;
                }

                using var call = ctx.Client.Leases.WatchMessages(
                    new WatchMessagesRequest { LeaseId = parse.GetValue(leaseId)!, AfterMessageId = parse.GetValue(after) ?? "" }, cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    await PrintAsync(ctx, call.ResponseStream.Current, tenantWide);
                    await ctx.Output.FlushAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                return ExitCodes.Ok; // Interrupted (Ctrl+C): a normal end of watching.
            }

            if (!ctx.Json)
            {
                await ctx.Error.WriteLineAsync("the lease has ended");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Task PrintAsync(CliContext ctx, Message message, bool tenantWide)
    {
        if (ctx.Json)
        {
            return ctx.Output.WriteLineAsync(Output.Json(message));
        }

        var code = message.Code.Length > 0 ? $"code {message.Code}" : "no code";
        var where = tenantWide ? $"{message.LeaseId}  " : "";
        var position = tenantWide ? $"{message.Cursor}" : message.MessageId;
        return ctx.Output.WriteLineAsync($"{Output.Time(message.ReceiveTime)}  {where}{message.Sender}  {code}  {MessagesCommands.TextOf(message)}  [{position}]");
    }
}
