using System.Diagnostics;
using System.Globalization;

namespace Pool.Testing;

/// <summary>
/// A PostgreSQL server of one test's own — scripts/db.sh on a free loopback port with its cluster in a
/// temporary directory — which the test may stop and start again. The shared test server is never
/// stopped: other tests run on it at the same time. Disposing stops the server and deletes its files.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private static readonly TimeSpan s_scriptTimeout = TimeSpan.FromMinutes(2);

    private readonly string _directory;

    private PrivatePostgres(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>The server's own database, for creating test databases on it (see <see cref="TestDatabase.CreateAsync(string, bool)"/>).</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Database=pool;Username=pool";

    /// <summary>Creates a cluster and starts it (a few seconds: initdb, then the server).</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"pool-pg-{Guid.NewGuid():n}"[..20]);
        Directory.CreateDirectory(directory);
        var server = new PrivatePostgres(FreePorts.Next(), directory);
        try
        {
            await server.RunAsync("start");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Stops the server with <c>pg_ctl -m fast</c>: open sessions are cut and nothing more is accepted.</summary>
    public Task StopAsync() => RunAsync("stop");

    /// <summary>Starts the stopped server again on the same port and data.</summary>
    public Task StartAgainAsync() => RunAsync("start");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("stop");
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"private PostgreSQL on port {Port} was not stopped: {ex.Message}");
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"private PostgreSQL files in {_directory} were not deleted: {ex.Message}");
        }
    }

    private async Task RunAsync(string command)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "db.sh"));
        info.ArgumentList.Add(command);
        info.Environment["POOL_PG_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        info.Environment["POOL_PG_DIR"] = _directory;
        info.Environment["POOL_SKIP_SCHEMA"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run scripts/db.sh");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_scriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"scripts/db.sh {command} (port {Port}) did not finish within {s_scriptTimeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/db.sh {command} (port {Port}) failed with exit code {process.ExitCode}: {await output}{await error}");
        }
    }
}
