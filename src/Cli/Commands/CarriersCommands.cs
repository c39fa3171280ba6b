using System.CommandLine;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>poolctl carriers flagged|reports: what carriers sent that Pool stored but could not fully read or use (needs an admin key).</summary>
internal static class CarriersCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var carriers = new Command("carriers", "What carriers sent: messages stored flagged (undecodable, binary, unroutable, …) and status reports (needs an admin key).");
        carriers.Subcommands.Add(Flagged(context));
        carriers.Subcommands.Add(Reports(context));
        return carriers;
    }

    private static Command Flagged(Func<CliContext> context)
    {
        var flag = new Option<string?>("--flag") { Description = "Only this flag: binary, compressed, reserved_coding, undecodable, unroutable, message_waiting." };
        var limit = WholeNumbers.Optional("--limit", "At most this many (default 50, at most 500).");
        var command = new Command("flagged", "Inbound messages stored with a flag or never routed, newest first, with the SMPP fields they came in.") { flag, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new CarrierIntake.CarrierIntakeClient(ctx.Invoker).ListFlaggedMessagesAsync(
                new ListFlaggedMessagesRequest { Flag = parse.GetValue(flag) ?? "", Limit = parse.GetValue(limit) ?? 0 }, cancellationToken: cancellationToken);
            Output.Rows(ctx, response.Messages, "no flagged messages", ["received", "id", "carrier", "from", "to", "flags", "data_coding", "esm_class", "text", "problem"], m =>
                [Output.Time(m.ReceivedAt), m.MessageId, m.Carrier, m.Sender, m.Number, string.Join(',', m.Flags),
                 m.Raw is null ? "" : $"0x{m.Raw.DataCoding:X2}", m.Raw is null ? "" : $"0x{m.Raw.EsmClass:X2}", Shorten(m.Text, 60), Shorten(m.Raw?.Problem ?? "", 80)]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Reports(Func<CliContext> context)
    {
        var pending = new Option<bool>("--pending") { Description = "Only reports no submitted message was matched to (yet)." };
        var connection = new Option<string?>("--connection") { Description = "Only reports of this carrier connection." };
        var limit = WholeNumbers.Optional("--limit", "At most this many (default 50, at most 500).");
        var command = new Command("reports", "Stored status reports (delivery receipts, intermediate notifications, SME acknowledgements), newest first.") { pending, connection, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var response = await new CarrierIntake.CarrierIntakeClient(ctx.Invoker).ListStatusReportsAsync(
                new ListStatusReportsRequest { Pending = parse.GetValue(pending), Connection = parse.GetValue(connection) ?? "", Limit = parse.GetValue(limit) ?? 0 },
                cancellationToken: cancellationToken);
            Output.Rows(ctx, response.Reports, "no status reports", ["received", "connection", "message id", "kind", "state", "final", "matched", "error"], r =>
                [Output.Time(r.ReceivedAt), r.Connection, r.CarrierMessageId, r.Kind, r.State, r.Final ? "yes" : "no", r.Matched ? "yes" : "pending", r.Error]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
