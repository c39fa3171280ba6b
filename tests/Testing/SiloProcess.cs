using System.Diagnostics;
using System.Globalization;

namespace Pool.Testing;

/// <summary>
/// The real pool-silo executable as a child process (what scripts/run.sh starts), so a test can
/// kill it the hard way (SIGKILL) and start it again.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, string grpcAddress)
    {
        _process = process;
        GrpcAddress = grpcAddress;
    }

    public string GrpcAddress { get; }

    /// <summary>An admin API key valid on this Pool's database.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>Starts pool-silo with <paramref name="ports"/> = silo, gateway, gRPC, HTTP; waits until it is ready.</summary>
    /// <param name="settings">More settings, as "--Key=value" arguments.</param>
    public static async Task<SiloProcess> StartAsync(TestDatabase database, int[] ports, IReadOnlyDictionary<string, string>? settings = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "pool-silo.dll"),
            $"--Pool:Database:ConnectionString={database.ConnectionString}",
            $"--Pool:Cluster:ClusterId={database.Name}",
            $"--Pool:Cluster:ServiceId={database.Name}",
            $"--Pool:Cluster:SiloPort={ports[0].ToString(CultureInfo.InvariantCulture)}",
            $"--Pool:Cluster:GatewayPort={ports[1].ToString(CultureInfo.InvariantCulture)}",
            $"--Pool:Api:GrpcPort={ports[2].ToString(CultureInfo.InvariantCulture)}",
            $"--Pool:Api:HttpPort={ports[3].ToString(CultureInfo.InvariantCulture)}",
            "--Pool:Api:Dashboard=false",
            .. (settings ?? new Dictionary<string, string>()).Select(setting => $"--{setting.Key}={setting.Value}"),
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start pool-silo");
        // The last lines it printed, so a silo that dies at start says why in the test's failure.
        var tail = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                tail.Enqueue(line.Length > 500 ? line[..500] : line);
                while (tail.Count > 40)
                {
                    tail.Dequeue();
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var silo = new SiloProcess(process, $"http://127.0.0.1:{ports[2]}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[3]}") };
        await Eventually.ReturnsAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    lock (tail)
                    {
                        return $"exited with code {process.ExitCode}; its last output:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
                    }
                }

                try
                {
                    return (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode.ToString();
                }
                catch (HttpRequestException ex)
                {
                    return ex.Message;
                }
            },
            status => status == "OK",
            TimeSpan.FromSeconds(90),
            "pool-silo to answer /readyz with 200");
        silo.AdminKey = await Silo.Database.AdminKeys.CreateAsync(database.ConnectionString, "tests");
        return silo;
    }

    /// <summary>SIGKILL: no graceful shutdown, no membership update, nothing flushed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
