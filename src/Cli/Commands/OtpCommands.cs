using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pool.Sms.Otp;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>poolctl otp extract: the code and service in an SMS text and the rule that decided, offline (no server, no API key).</summary>
internal static class OtpCommands
{
    /// <summary>Web defaults (camelCase), nulls written, non-ASCII text (Chinese brands) kept readable.</summary>
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(Func<CliContext> context)
    {
        var otp = new Command("otp", "One-time codes in SMS texts (works offline: no server, no API key).");
        otp.Subcommands.Add(Extract(context));
        return otp;
    }

    private static Command Extract(Func<CliContext> context)
    {
        var text = new Option<string?>("--text")
        {
            Description = "The SMS text to read; prints its code, service and why (with --json: one {\"code\", \"service\", \"why\"} object).",
        };
        var jsonl = new Option<bool>("--jsonl")
        {
            Description = "Batch: read one {\"text\": \"…\"} object per line on stdin, write one {\"code\", \"service\", \"why\"} object per line, in order.",
        };
        var command = new Command(
            "extract",
            "Print the one-time code and the service an SMS names (either may be none), and why: the code word or rule that decided.")
        {
            text, jsonl,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(text) is null == !result.GetValue(jsonl))
            {
                result.AddError("give exactly one of --text \"…\" or --jsonl (with lines on stdin)");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            if (parse.GetValue(jsonl))
            {
                return await BatchAsync(ctx, cancellationToken);
            }

            Print(ctx, OtpExtractor.Read(parse.GetValue(text)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CliContext ctx, OtpReading reading)
    {
        if (ctx.Json)
        {
            ctx.Output.WriteLine(Json(reading));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        table.AddRow("code", Markup.Escape(reading.Code ?? "none"));
        table.AddRow("service", Markup.Escape(reading.Service ?? "none"));
        table.AddRow("why", Markup.Escape(reading.Why));
        ctx.Console.Write(table);
    }

    /// <summary>One output line per input line; a bad line gives an error line and the run goes on, ending with exit code 2.</summary>
    private static async Task<int> BatchAsync(CliContext ctx, CancellationToken cancellationToken)
    {
        var bad = false;
        var number = 0;
        while (await ctx.Input.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (TryReadText(line, out var text, out var problem))
            {
                await ctx.Output.WriteLineAsync(Json(OtpExtractor.Read(text)));
            }
            else
            {
                bad = true;
                await ctx.Output.WriteLineAsync(JsonSerializer.Serialize(new BatchError($"line {number}: {problem}"), s_json));
            }
        }

        return bad ? ExitCodes.Usage : ExitCodes.Ok;
    }

    private static bool TryReadText(string line, out string? text, out string? problem)
    {
        text = null;
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("text", out var value)
                && value.ValueKind == JsonValueKind.String)
            {
                text = value.GetString();
                return true;
            }

            problem = "expected a JSON object with a string \"text\"";
            return false;
        }
        catch (JsonException ex)
        {
            problem = $"not JSON ({ex.Message})";
            return false;
        }
    }

    private static string Json(OtpReading reading) => JsonSerializer.Serialize(new OtpResult(reading.Code, reading.Service, reading.Why), s_json);

    private sealed record OtpResult(string? Code, string? Service, string Why);

    private sealed record BatchError(string Error);
}
