using Grpc.Net.Client;
using Spectre.Console;

namespace Pool.Cli;

/// <summary>What every command needs: where the API is, how to print, and whether to print JSON.</summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error, TextReader input) : IDisposable
{
    private GrpcChannel? _channel;

    public IAnsiConsole Console { get; } = console;

    /// <summary>Raw standard output, for JSON that must not be wrapped or styled.</summary>
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Standard input, for commands that read a file named '-'.</summary>
    public TextReader Input { get; } = input;

    public string ApiAddress { get; set; } = "";

    public bool Json { get; set; }

    public GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(ApiAddress, new GrpcChannelOptions
    {
        MaxReceiveMessageSize = 4 * 1024 * 1024,
    });

    public void Dispose() => _channel?.Dispose();
}
