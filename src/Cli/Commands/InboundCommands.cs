using System.CommandLine;
using System.Text.Json;
using Pool.Carriers.Http;
using Pool.Sms.Encoding;

namespace Pool.Cli.Commands;

/// <summary>
/// poolctl inbound send: injects an SMS through Pool's HTTP carrier endpoint, signed with a carrier's
/// secret, exactly as a carrier would (for demos, support and tests).
/// </summary>
internal static class InboundCommands
{
    public const string HttpEnvironmentVariable = "POOL_HTTP";
    public const string DefaultHttp = "http://127.0.0.1:7401";
    public const string SecretEnvironmentVariable = "POOL_CARRIER_SECRET";
    public const string SecretFileEnvironmentVariable = "POOL_CARRIER_SECRET_FILE";
    public const string LocalSecretFile = ".data/carrier.secret";

    public static Command Create(Func<CliContext> context)
    {
        var inbound = new Command("inbound", "Inject inbound SMS as a carrier would.");
        inbound.Subcommands.Add(Send(context));
        return inbound;
    }

    private static Command Send(Func<CliContext> context)
    {
        var to = new Option<string>("--to") { Description = "The Pool number the SMS is sent to (E.164, e.g. +85251234001).", Required = true };
        var text = new Option<string>("--text") { Description = "The message text.", Required = true };
        var from = new Option<string>("--from") { Description = "The sender: a number or an alphanumeric id (default 'Pool').", DefaultValueFactory = _ => "Pool" };
        var encoding = new Option<string>("--encoding") { Description = "How the carrier encodes the text on the wire: text, ucs2 or gsm7 (default text).", DefaultValueFactory = _ => "text" };
        encoding.AcceptOnlyFromAmong("text", "ucs2", "gsm7");
        var parts = WholeNumbers.Optional("--parts", "Send the text as a concatenated SMS in this many parts (1-10), as separate carrier posts.");
        var messageId = new Option<string?>("--message-id") { Description = "The carrier's message id (default: a new random one); sending the same id again is a duplicate." };
        var carrier = new Option<string>("--carrier") { Description = "The carrier to post as (default 'local', the carrier scripts/run.sh sets up).", DefaultValueFactory = _ => "local" };
        var secretFile = new Option<string?>("--secret-file") { Description = $"File holding the carrier's signing secret (env {SecretFileEnvironmentVariable}; env {SecretEnvironmentVariable} holds the secret itself; default {LocalSecretFile})." };
        var http = new Option<string?>("--http") { Description = $"Pool's HTTP address (env {HttpEnvironmentVariable}; default {DefaultHttp})." };
        var command = new Command("send", "Post an SMS to Pool's carrier endpoint, signed with the carrier's secret.") { to, text, from, encoding, parts, messageId, carrier, secretFile, http };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var count = parse.GetValue(parts) ?? 1;
            if (count is < 1 or > 10)
            {
                await ctx.Error.WriteLineAsync($"error: --parts {count} is out of range (1 to 10)");
                return ExitCodes.Usage;
            }

            var (secret, secretError) = ReadSecret(parse.GetValue(secretFile), ctx.Environment);
            if (secret is null)
            {
                await ctx.Error.WriteLineAsync($"error: {secretError}");
                return ExitCodes.Usage;
            }

            var address = parse.GetValue(http) ?? ctx.Environment(HttpEnvironmentVariable) ?? DefaultHttp;
            if (!Uri.TryCreate(address, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != "http" && baseUri.Scheme != "https"))
            {
                await ctx.Error.WriteLineAsync($"error: --http '{address}' is not an http:// or https:// address");
                return ExitCodes.Usage;
            }

            var id = parse.GetValue(messageId) ?? $"cli-{Guid.NewGuid():n}";
            // The reference follows from the message id, so sending the same message again repeats its parts exactly.
            var reference = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))[0];
            var pieces = Split(parse.GetValue(text)!, count);
            using var client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
            var target = new Uri($"carriers/{Uri.EscapeDataString(parse.GetValue(carrier)!)}/messages", UriKind.Relative);
            for (var i = 0; i < pieces.Count; i++)
            {
                var body = Body(
                    pieces.Count == 1 ? id : $"{id}-{i + 1}", parse.GetValue(from)!, parse.GetValue(to)!, pieces[i], parse.GetValue(encoding)!,
                    pieces.Count == 1 ? null : (reference, pieces.Count, i + 1));
                using var request = CarrierSignature.SignedPost(target, secret, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException ex)
                {
                    await ctx.Error.WriteLineAsync($"error: cannot reach Pool's carrier endpoint at {address} ({ex.Message}); is Pool running? (scripts/run.sh)");
                    return ExitCodes.Unavailable;
                }

                using (response)
                {
                    var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        await ctx.Error.WriteLineAsync($"error: the carrier endpoint answered {(int)response.StatusCode}: {Detail(answer)}");
                        return (int)response.StatusCode switch
                        {
                            401 => ExitCodes.NotAllowed,
                            400 or 413 => ExitCodes.Usage,
                            503 => ExitCodes.Unavailable,
                            _ => ExitCodes.Failed,
                        };
                    }

                    await ctx.Output.WriteLineAsync(ctx.Json ? answer : Describe(answer, i + 1, pieces.Count));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The secret: from the file given; else env POOL_CARRIER_SECRET; else the file named by env
    /// POOL_CARRIER_SECRET_FILE; else .data/carrier.secret in the current directory.
    /// </summary>
    private static (string? Secret, string? Error) ReadSecret(string? file, Func<string, string?> environment)
    {
        if (file is null && environment(SecretEnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return (fromEnvironment.Trim(), null);
        }

        var path = file ?? environment(SecretFileEnvironmentVariable) ?? LocalSecretFile;
        if (!File.Exists(path))
        {
            return (null, $"no carrier secret: {path} does not exist (pass --secret-file, or set {SecretEnvironmentVariable})");
        }

        var secret = File.ReadAllText(path).Trim();
        return secret.Length == 0 ? (null, $"the carrier secret file {path} is empty") : (secret, null);
    }

    /// <summary>The text in <paramref name="count"/> nearly equal pieces, never splitting a surrogate pair.</summary>
    internal static IReadOnlyList<string> Split(string text, int count)
    {
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        var units = new List<string>();
        while (elements.MoveNext())
        {
            units.Add(elements.GetTextElement());
        }

        count = Math.Max(1, Math.Min(count, units.Count));
        var pieces = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var start = units.Count * i / count;
            var end = units.Count * (i + 1) / count;
            pieces.Add(string.Concat(units.Skip(start).Take(end - start)));
        }

        return pieces;
    }

    private static byte[] Body(string id, string from, string to, string text, string encoding, (int Reference, int Total, int Part)? concat)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message_id", id);
            writer.WriteString("from", from);
            writer.WriteString("to", to);
            writer.WriteString("encoding", encoding);
            writer.WriteString("text", encoding switch
            {
                "ucs2" => Convert.ToHexString(Ucs2.Encode(text)),
                "gsm7" => Convert.ToHexString(Gsm7.Encode(text)),
                _ => text,
            });
            writer.WriteString("timestamp", DateTimeOffset.UtcNow);
            if (concat is { } c)
            {
                writer.WriteStartObject("concat");
                writer.WriteNumber("reference", c.Reference);
                writer.WriteNumber("total", c.Total);
                writer.WriteNumber("part", c.Part);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Describe(string answer, int part, int parts)
    {
        using var json = JsonDocument.Parse(answer);
        var outcome = json.RootElement.GetProperty("outcome").GetString();
        var id = json.RootElement.GetProperty("message_id").GetString();
        var prefix = parts > 1 ? $"part {part}/{parts}: " : "";
        return string.IsNullOrEmpty(id) ? $"{prefix}{outcome}" : $"{prefix}{outcome} ({id})";
    }

    private static string Detail(string answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? answer : answer;
        }
        catch (JsonException)
        {
            return answer;
        }
    }
}
