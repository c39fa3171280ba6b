using System.CommandLine;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl watch LEASE_ID: prints a lease's SMS as they arrive, until the lease ends.</summary>
internal static class WatchCommand
{
    public static Command Create(Func<CliContext> context)
    {
        var leaseId = new Argument<string>("lease-id") { Description = "The lease to watch." };
        var after = new Option<string?>("--after") { Description = "Resume after this message id (printed by an earlier watch)." };
        var command = new Command("watch", "Print a lease's SMS (with their codes) as they arrive, until the lease ends.") { leaseId, after };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            using var call = new Leases.LeasesClient(ctx.Invoker).WatchMessages(
                new WatchMessagesRequest { LeaseId = parse.GetValue(leaseId)!, AfterMessageId = parse.GetValue(after) ?? "" },
                cancellationToken: cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                var message = call.ResponseStream.Current;
                if (ctx.Json)
                {
                    await ctx.Output.WriteLineAsync(Output.Json(message));
                }
                else
                {
                    var code = message.Code.Length > 0 ? $"code {message.Code}" : "no code";
                    await ctx.Output.WriteLineAsync($"{Output.Time(message.ReceiveTime)}  {message.Sender}  {code}  {message.Text}  [{message.MessageId}]");
                }

                await ctx.Output.FlushAsync(cancellationToken);
            }

            if (!ctx.Json)
            {
                await ctx.Error.WriteLineAsync("the lease has ended");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
