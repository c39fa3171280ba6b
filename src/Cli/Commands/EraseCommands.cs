using System.CommandLine;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>poolctl erase end-user: erasure of an end user's data on request (operator command: an admin key is needed).</summary>
internal static class EraseCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var erase = new Command("erase", "Erase personal data on request (GDPR art. 17). Irreversible.");
        erase.Subcommands.Add(EndUser(context));
        return erase;
    }

    private static Command EndUser(Func<CliContext> context)
    {
        var number = new Argument<string>("number") { Description = "The end user's number in E.164, e.g. +85251234567." };
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's records (default: every tenant's)." };
        var command = new Command(
            "end-user",
            "Erase what Pool keeps about an end user's number in the outbound flow: pending verifications are canceled; verifications, "
            + "outbound messages and receipts lose the number and the carrier's message ids (counts and times stay for reports). Irreversible; audited. "
            + "Prints what it did; a second erase prints zeros.")
        { number, tenant };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new EraseEndUserRequest { Number = parse.GetValue(number)!, TenantId = parse.GetValue(tenant) ?? "" };
            var erased = await new Privacy.PrivacyClient(ctx.Invoker).EraseEndUserAsync(request, cancellationToken: cancellationToken);
            Output.Print(ctx, erased, table =>
            {
                table.AddRow("end user", Markup.Escape(erased.Number));
                table.AddRow("tenant", erased.TenantId.Length == 0 ? "every tenant" : Markup.Escape(erased.TenantId));
                table.AddRow("active verifications canceled", Output.Count(erased.ActiveVerificationsCanceled));
                table.AddRow("verifications anonymised", Output.Count(erased.VerificationsAnonymised));
                table.AddRow("verification states anonymised", Output.Count(erased.VerificationStatesAnonymised));
                table.AddRow("outbound messages anonymised", Output.Count(erased.OutboundMessagesAnonymised));
                table.AddRow("receipts anonymised", Output.Count(erased.ReceiptsAnonymised));
                table.AddRow("earlier-release states deleted", Output.Count(erased.LegacyStatesDeleted));
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
