using System.CommandLine;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl messages list LEASE_ID: the SMS a lease received.</summary>
internal static class MessagesCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var messages = new Command("messages", "The SMS received on leased numbers.");
        var leaseId = new Argument<string>("lease-id") { Description = "The lease whose messages to list." };
        var list = new Command("list", "List the SMS a lease received, oldest first, with the codes found in them.") { leaseId };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new Leases.LeasesClient(ctx.Invoker).ListMessagesAsync(new ListMessagesRequest { LeaseId = parse.GetValue(leaseId)! }, cancellationToken: cancellationToken);
            Output.Rows(ctx, response.Messages, "no messages yet", ["received", "sender", "code", "service", "text", "message id"], m =>
                [Output.Time(m.ReceiveTime), m.Sender, m.Code, m.Service, TextOf(m), m.MessageId]);
            return ExitCodes.Ok;
        });
        messages.Subcommands.Add(list);
        return messages;
    }

    /// <summary>The text as people should read it: marked when purged or incomplete.</summary>
    public static string TextOf(Message message) =>
        message.TextPurged ? "(text purged: retention passed)"
        : message.Incomplete ? $"{message.Text} (incomplete: parts missing)"
        : message.Text;
}
