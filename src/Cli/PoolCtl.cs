using System.CommandLine;
using System.CommandLine.Parsing;
using Google.Rpc;
using Grpc.Core;
using Pool.Cli.Commands;
using Spectre.Console;

namespace Pool.Cli;

/// <summary>poolctl: the operators' command line over the pool.v1 gRPC API.</summary>
public static class PoolCtl
{
    public const string ApiEnvironmentVariable = "POOL_API";
    public const string DefaultApi = "http://127.0.0.1:7400";

    /// <summary>Width of tables printed anywhere but a terminal (a file, a pipe, a test), so rows are not wrapped.</summary>
    public const int RedirectedWidth = 240;

    public static Task<int> RunAsync(string[] args)
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return RunAsync(args, System.Console.Out, System.Console.Error, console, System.Console.In);
    }

    /// <summary>Runs one command line, printing to the given writers (tests capture them) and reading '-' from <paramref name="input"/>.</summary>
    /// <remarks><paramref name="environment"/> looks up environment variables (default: the process's), so tests can run without the caller's key.</remarks>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, IAnsiConsole? console = null, TextReader? input = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (console is null)
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = RedirectedWidth;
        }

        using var context = new CliContext(console, output, error, input ?? TextReader.Null) { Environment = environment };

        var api = new Option<string>("--api")
        {
            Description = $"Address of the Pool gRPC API (env {ApiEnvironmentVariable}).",
            Recursive = true,
            DefaultValueFactory = _ => environment(ApiEnvironmentVariable) ?? DefaultApi,
        };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"API key sent as 'authorization: Bearer <key>' (env {ApiKeySource.KeyEnvironmentVariable}, or the file named by env {ApiKeySource.KeyFileEnvironmentVariable}, "
                + $"or {ApiKeySource.LocalKeyFile} in the current directory). Operator commands need an admin key.",
            HelpName = "key",
            Recursive = true,
        };
        var json = new Option<bool>("--json") { Description = "Print results as JSON (one object per line) for scripts.", Recursive = true };

        var root = new RootCommand("poolctl — operate Pool, the virtual-number pool platform.") { api, apiKey, json };
        CliContext Context() => context;
        root.Subcommands.Add(PoolsCommands.Create(Context));
        root.Subcommands.Add(NumbersCommands.Create(Context));
        root.Subcommands.Add(LeaseCommands.Lease(Context));
        root.Subcommands.Add(LeaseCommands.Extend(Context));
        root.Subcommands.Add(LeaseCommands.Release(Context));
        root.Subcommands.Add(WatchCommand.Create(Context));
        root.Subcommands.Add(MessagesCommands.Create(Context));
        root.Subcommands.Add(WebhooksCommands.Create(Context));
        root.Subcommands.Add(InboundCommands.Create(Context));
        root.Subcommands.Add(SimCommands.Create(Context));
        root.Subcommands.Add(CarriersCommands.Create(Context));
        root.Subcommands.Add(AuditCommands.Create(Context));
        root.Subcommands.Add(LeasesCommands.Create(Context));
        root.Subcommands.Add(TenantsCommands.Create(Context));
        root.Subcommands.Add(KeysCommands.Create(Context));
        root.Subcommands.Add(OtpCommands.Create(Context));
        root.Subcommands.Add(RoutesCommands.Create(Context));
        root.Subcommands.Add(VerifyCommands.Create(Context));
        root.Subcommands.Add(StatusCommands.Create(Context));
        root.Subcommands.Add(EraseCommands.Create(Context));

        var parse = root.Parse(args);
        context.ApiAddress = parse.GetValue(api) ?? DefaultApi;
        context.Json = parse.GetValue(json);
        if (!Uri.TryCreate(context.ApiAddress, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            await error.WriteLineAsync($"error: --api '{context.ApiAddress}' is not an http:// or https:// address");
            return ExitCodes.Usage;
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync($"see: {string.Join(' ', ["poolctl", .. CommandPath(parse.CommandResult), "--help"])}");
            return ExitCodes.Usage;
        }

        var (key, keyError) = ApiKeySource.Resolve(parse.GetValue(apiKey), environment, Directory.GetCurrentDirectory());
        if (keyError is not null)
        {
            await error.WriteLineAsync($"error: {keyError}");
            return ExitCodes.Usage;
        }

        context.ApiKey = key;
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (RpcException ex)
        {
            await ReportAsync(ex, context);
            return ExitCodes.Of(ex.StatusCode);
        }
    }

    private static IEnumerable<string> CommandPath(CommandResult? result) =>
        result is null || result.Command is RootCommand ? [] : [.. CommandPath(result.Parent as CommandResult), result.Command.Name];

    /// <summary>Prints an API error the way every command does: the status, then each bad field, then a hint when there is one.</summary>
    internal static async Task ReportAsync(RpcException ex, CliContext context)
    {
        var (api, error) = (context.ApiAddress, context.Error);
        if (ex.StatusCode == StatusCode.Unavailable && ex.Status.DebugException is HttpRequestException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync($"error: cannot reach the Pool API at {api} ({ex.Status.Detail}); is Pool running? (scripts/run.sh)");
            return;
        }

        await error.WriteLineAsync($"error: {ex.StatusCode}: {ex.Status.Detail}");
        var status = ex.GetRpcStatus();
        var badRequest = status?.GetDetail<BadRequest>();
        if (badRequest is not null)
        {
            foreach (var violation in badRequest.FieldViolations)
            {
                await error.WriteLineAsync($"  {violation.Field}: {violation.Description}");
            }
        }

        if (Hint(ex.StatusCode, context.ApiKey is not null) is { } hint)
        {
            await error.WriteLineAsync($"hint: {hint}");
        }
    }

    private const string WaysToPassAKey = "pass --api-key, set POOL_API_KEY, or run scripts/poolctl (it uses the local admin key)";

    private static string? Hint(StatusCode code, bool keySent) => code switch
    {
        StatusCode.Unauthenticated when keySent => $"the API key was refused (mistyped, unknown, revoked or expired); {WaysToPassAKey}",
        StatusCode.Unauthenticated => WaysToPassAKey,
        StatusCode.PermissionDenied => $"the key given may not make this call (its role or address allowlist refused it, as the error says); use a key whose role allows it: {WaysToPassAKey}",
        _ => null,
    };
}
