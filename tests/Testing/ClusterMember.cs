using System.Diagnostics;
using System.Globalization;

namespace Pool.Testing;

/// <summary>
/// One pool-silo child process of a <see cref="LocalCluster"/>, on ports of its own that it keeps across
/// restarts: it can be killed (SIGKILL), stopped gracefully (SIGTERM) and started again. Its console
/// output goes to a log file, kept for reading after a failed test.
/// </summary>
public sealed class ClusterMember : IDisposable
{
    private static readonly TimeSpan s_readyWithin = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_stopWithin = TimeSpan.FromSeconds(15);

    private readonly IReadOnlyList<string> _arguments;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private Process? _process;

    internal ClusterMember(int index, int[] ports, IReadOnlyList<string> arguments, string logPath)
    {
        Index = index;
        SiloPort = ports[0];
        GatewayPort = ports[1];
        GrpcPort = ports[2];
        HttpPort = ports[3];
        _arguments = arguments;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
    }

    public int Index { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public string LogPath { get; }

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort.ToString(CultureInfo.InvariantCulture)}");

    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the process (again) and waits until /readyz answers 200: the silo is active in its cluster.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"silo {Index} is already running");
        }

        _process?.Dispose();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Write($"--- start {DateTimeOffset.UtcNow:O}");
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start pool-silo");
        process.OutputDataReceived += (_, line) => Write(line.Data);
        process.ErrorDataReceived += (_, line) => Write(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitReadyAsync();
    }

    /// <summary>Waits until /readyz answers 200, failing early when the process exits.</summary>
    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.ReturnsAsync(
            async () =>
            {
                if (_process is not { } process || process.HasExited)
                {
                    return "not running";
                }

                try
                {
                    return (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode.ToString();
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return ex.Message;
                }
            },
            status => status is "OK" or "not running",
            s_readyWithin,
            $"silo {Index} to answer /readyz with 200 (log: {LogPath})");
        if (!IsRunning)
        {
            throw new InvalidOperationException($"silo {Index} exited during start-up with code {_process?.ExitCode}; log: {LogPath}");
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, no membership update, nothing flushed.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            Write($"--- SIGKILL {DateTimeOffset.UtcNow:O}");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a process; SIGKILL if it has not exited within a bound. Returns how long it took.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return TimeSpan.Zero;
        }

        Write($"--- SIGTERM {DateTimeOffset.UtcNow:O}");
        var started = Stopwatch.StartNew();
        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(s_stopWithin);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Write($"--- not stopped within {s_stopWithin.TotalSeconds:0} s; SIGKILL");
            Kill();
        }

        return started.Elapsed;
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after the member was disposed is not kept.
            }
        }
    }
}
