using Grpc.Core;
using Grpc.Net.Client;
using Pool.Client;
using Spectre.Console;

namespace Pool.Cli;

/// <summary>What every command needs: where the API is, how to call it, how to print, and whether to print JSON.</summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error, TextReader input) : IDisposable
{
    private PoolClient? _client;

    public IAnsiConsole Console { get; } = console;

    /// <summary>Raw standard output, for JSON that must not be wrapped or styled.</summary>
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Standard input, for commands that read a file named '-'.</summary>
    public TextReader Input { get; } = input;

    public string ApiAddress { get; set; } = "";

    public bool Json { get; set; }

    /// <summary>Looks up environment variables (the process's; tests give their own).</summary>
    public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The API key sent with every call, or null to send none. Never printed.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The Pool client every command calls through, built on first use: <see cref="ApiAddress"/>, the key as
    /// "authorization: Bearer &lt;key&gt;" on each call when there is one, and Pool.Client's retries of UNAVAILABLE (a mutating
    /// call without --idempotency-key gets a key of its own, so a retry is the same call).
    /// </summary>
    public PoolClient Client => _client ??= new PoolClient(new PoolClientOptions
    {
        Address = new Uri(ApiAddress, UriKind.Absolute),
        ApiKey = ApiKey,
        // A watch survives a restart of Pool; one that cannot reach Pool for a minute says so instead of waiting for ever.
        Watch = new PoolWatchOptions { GiveUpAfter = TimeSpan.FromMinutes(1) },
    });

    public GrpcChannel Channel => Client.Channel;

    /// <summary>What every client is built on: <see cref="Client"/>'s call invoker.</summary>
    public CallInvoker Invoker => Client.CallInvoker;

    public void Dispose() => _client?.Dispose();
}
