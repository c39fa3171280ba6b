using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Spectre.Console;

namespace Pool.Cli;

/// <summary>What every command needs: where the API is, how to call it, how to print, and whether to print JSON.</summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error, TextReader input) : IDisposable
{
    private GrpcChannel? _channel;
    private CallInvoker? _invoker;

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

    public GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(ApiAddress, new GrpcChannelOptions
    {
        MaxReceiveMessageSize = 4 * 1024 * 1024,
    });

    /// <summary>What every client is built on: the channel, with "authorization: Bearer &lt;key&gt;" on each call when there is a key.</summary>
    public CallInvoker Invoker => _invoker ??= ApiKey is { } key
        ? Channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + key);
            return metadata;
        })
        : Channel.CreateCallInvoker();

    public void Dispose() => _channel?.Dispose();
}
