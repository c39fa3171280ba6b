using System.Diagnostics;
using System.Threading.Channels;
using Xunit.Sdk;

namespace Pool.Carriers.Tests;

/// <summary>
/// interop/smsc.js under node; its stdout lines are the SMSC's report and its stdin takes commands
/// ("SEND &lt;case&gt;"). Ends when its stdin closes.
/// </summary>
internal sealed class NodeSmsc : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private NodeSmsc(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _lines.Writer.TryWrite(line);
            }
            else
            {
                _lines.Writer.TryComplete();
            }
        };
    }

    public int Port { get; private set; }

    public static async Task<NodeSmsc> StartAsync()
    {
        var folder = InteropFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "smpp")))
        {
            throw new XunitException($"The npm smpp package is not installed: run `npm ci --prefix {folder}` (scripts/test.sh does).");
        }

        var start = new ProcessStartInfo("node", "smsc.js")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new XunitException("node could not be started");
        var smsc = new NodeSmsc(process);
        process.BeginOutputReadLine();
        var listening = await smsc.NextLineAsync("the npm smpp SMSC to listen");
        Assert.StartsWith("LISTENING ", listening, StringComparison.Ordinal);
        smsc.Port = int.Parse(listening["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return smsc;
    }

    public Task<string> NextLineAsync(string expected) => Bounded.ReadAsync(_lines.Reader, expected);

    /// <summary>Writes one command line to the script.</summary>
    public async Task CommandAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Closing stdin ends the script; kill it only if it does not go.
        _process.StandardInput.Close();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string InteropFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Carriers.Tests", "interop");
            if (File.Exists(Path.Combine(candidate, "smsc.js")))
            {
                return candidate;
            }
        }

        throw new XunitException($"tests/Carriers.Tests/interop/smsc.js not found above {AppContext.BaseDirectory}");
    }
}
