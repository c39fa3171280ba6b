using System.Globalization;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>Prints verifications (the number only masked, as Pool returns it; never a code).</summary>
internal static class VerificationOutput
{
    public static void Verification(CliContext context, VerificationInfo verification) => Output.Print(context, verification, table =>
    {
        table.AddRow("verification", Markup.Escape(verification.VerificationId));
        table.AddRow("to", Markup.Escape(verification.To));
        table.AddRow("status", Output.Name(verification.Status));
        table.AddRow("delivery", Output.Name(verification.DeliveryStatus));
        table.AddRow("channel", Markup.Escape(verification.Channel));
        table.AddRow("locale", Markup.Escape(verification.Locale));
        table.AddRow("code length", Output.Count(verification.CodeLength));
        table.AddRow("sends", Output.Count(verification.Sends));
        table.AddRow("checks", Output.Count(verification.Checks));
        table.AddRow("route", Markup.Escape(verification.RouteId));
        table.AddRow("created", Output.Time(verification.CreateTime));
        table.AddRow("expires", Output.Time(verification.ExpireTime));
        table.AddRow("updated", Output.Time(verification.UpdateTime));
    });

    /// <summary>Why a check did not approve, and what is left.</summary>
    public static string Refusal(VerificationInfo verification) => verification.Status switch
    {
        VerificationStatus.Pending => string.Create(
            CultureInfo.InvariantCulture, $"not approved: the code did not match (checks made: {verification.Checks}); the verification is still pending"),
        VerificationStatus.MaxAttemptsReached => "not approved: the code did not match, and that was the last check allowed (max_attempts_reached)",
        _ => $"not approved: the verification is {Output.Name(verification.Status)}",
    };
}
