using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>poolctl verify start|check|show|cancel|resend: the tenant's outbound verifications.</summary>
internal static class VerifyCommands
{
    public static Command Create(Func<CliContext> context)
    {
        var verify = new Command("verify", "Outbound verification: send a one-time code to a phone by SMS and check what its owner types back.");
        verify.Subcommands.Add(Start(context));
        verify.Subcommands.Add(Check(context));
        verify.Subcommands.Add(OnVerification(context, "show", "Show a verification: status, delivery, sends and checks (never the code).", (client, id, ct) =>
            client.GetVerificationAsync(new GetVerificationRequest { VerificationId = id }, cancellationToken: ct).ResponseAsync));
        verify.Subcommands.Add(OnVerification(context, "cancel", "Cancel a pending verification.", (client, id, ct) =>
            client.CancelVerificationAsync(new CancelVerificationRequest { VerificationId = id }, cancellationToken: ct).ResponseAsync));
        verify.Subcommands.Add(OnVerification(context, "resend", "Send the same code again (at most 5 sends; the expiry does not move).", (client, id, ct) =>
            client.ResendVerificationAsync(new ResendVerificationRequest { VerificationId = id }, cancellationToken: ct).ResponseAsync));
        return verify;
    }

    private static Command Start(Func<CliContext> context)
    {
        var to = new Option<string>("--to") { Description = "The number to verify in E.164, e.g. +85251234567.", Required = true };
        var locale = new Option<string?>("--locale") { Description = "Language of the message: en, zh, ru, es, pt (default en)." };
        var length = WholeNumbers.Optional("--length", "Digits in the code, 4 to 10 (default 6).");
        var ttl = new Option<string?>("--ttl") { Description = "How long the code can be checked: 2m to 24h (default 10m)." };
        var key = new Option<string?>("--idempotency-key", "-k") { Description = "Makes the call safe to retry: the same key returns the same verification, without a second SMS." };
        var command = new Command("start", "Start a verification: Pool generates a code and sends it by SMS (the code is never shown).") { to, locale, length, ttl, key };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new StartVerificationRequest
            {
                To = parse.GetValue(to)!,
                Locale = parse.GetValue(locale) ?? "",
                CodeLength = parse.GetValue(length) ?? 0,
                IdempotencyKey = parse.GetValue(key) ?? "",
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

            VerificationOutput.Verification(ctx, await new Verification.VerificationClient(ctx.Invoker).StartVerificationAsync(request, cancellationToken: cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Check(Func<CliContext> context)
    {
        var verificationId = VerificationArgument();
        var code = new Argument<string>("code") { Description = "The code the end user typed (4-10 digits)." };
        var command = new Command("check", "Check a code: exit 0 when it matched (approved), exit 1 when it did not.") { verificationId, code };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var request = new CheckVerificationRequest { VerificationId = parse.GetValue(verificationId)!, Code = parse.GetValue(code)! };
            var result = await new Verification.VerificationClient(ctx.Invoker).CheckVerificationAsync(request, cancellationToken: cancellationToken);
            if (ctx.Json)
            {
                await ctx.Output.WriteLineAsync(Output.Json(result));
            }
            else
            {
                VerificationOutput.Verification(ctx, result.Verification);
                ctx.Console.WriteLine(result.Valid ? "approved: the code matched" : VerificationOutput.Refusal(result.Verification));
            }

            if (!result.Valid && ctx.Json)
            {
                await ctx.Error.WriteLineAsync(VerificationOutput.Refusal(result.Verification));
            }

            return result.Valid ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command OnVerification(
        Func<CliContext> context, string name, string description, Func<Verification.VerificationClient, string, CancellationToken, Task<VerificationInfo>> call)
    {
        var verificationId = VerificationArgument();
        var command = new Command(name, description) { verificationId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            VerificationOutput.Verification(ctx, await call(new Verification.VerificationClient(ctx.Invoker), parse.GetValue(verificationId)!, cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> VerificationArgument() => new("verification-id") { Description = "The verification, e.g. ve_…" };
}
