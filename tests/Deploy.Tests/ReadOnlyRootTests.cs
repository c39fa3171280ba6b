using System.Diagnostics;
using System.Globalization;
using Pool.Testing;

namespace Pool.Deploy.Tests;

/// <summary>
/// The published pool-silo run the way the image runs it (its binary from the publish output, settings
/// from the environment, a home and working directory of its own) writes nothing outside TMPDIR, and
/// the image's HEALTHCHECK command reports it ready.
/// </summary>
public sealed class ReadOnlyRootTests
{
    private static Dictionary<string, (long Length, DateTime Written)> Snapshot(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)), StringComparer.Ordinal);

    [Fact]
    public async Task The_published_silo_writes_nothing_outside_tmp_and_its_health_command_exits_0_once_ready()
    {
        var app = await Artifacts.PublishOutputAsync("pool-silo");
        await using var database = await TestDatabase.CreateAsync();
        var root = Directory.CreateTempSubdirectory("pool-readonly-");
        var (home, work, tmp) = (root.CreateSubdirectory("home").FullName, root.CreateSubdirectory("work").FullName, root.CreateSubdirectory("tmp").FullName);
        var before = Snapshot(app);
        var ports = FreePorts.Take(4).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray();
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["TMPDIR"] = tmp,
            ["ASPNETCORE_HTTP_PORTS"] = "",
            ["DOTNET_NOLOGO"] = "1",
            ["Pool__Database__ConnectionString"] = database.ConnectionString,
            ["Pool__Cluster__ClusterId"] = database.Name,
            ["Pool__Cluster__ServiceId"] = database.Name,
            ["Pool__Cluster__SiloPort"] = ports[0],
            ["Pool__Cluster__GatewayPort"] = ports[1],
            ["Pool__Api__GrpcPort"] = ports[2],
            ["Pool__Api__HttpPort"] = ports[3],
        };

        ProcessStartInfo Start(params string[] arguments)
        {
            var info = new ProcessStartInfo(Path.Combine(app, "pool-silo")) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }

            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            return info;
        }

        async Task<(int Exit, string Output)> HealthAsync()
        {
            using var check = Process.Start(Start("health"))!;
            var output = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
            await check.WaitForExitAsync();
            return (check.ExitCode, output.Trim());
        }

        using var silo = Process.Start(Start())!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        silo.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        silo.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        silo.BeginOutputReadLine();
        silo.BeginErrorReadLine();
        try
        {
            var (exit, output) = await Eventually.ReturnsAsync(
                HealthAsync,
                result => result.Exit == 0 || silo.HasExited,
                TimeSpan.FromSeconds(120),
                "`pool-silo health` to exit 0 once the silo is ready");
            Assert.False(silo.HasExited, $"pool-silo exited:\n{string.Join('\n', log.TakeLast(30))}");
            Assert.Equal(0, exit);
            Assert.StartsWith($"healthy: 200 OK from http://127.0.0.1:{ports[3]}/readyz", output, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[3]}") };
            Assert.True((await http.GetAsync(new Uri("/dashboard", UriKind.Relative))).IsSuccessStatusCode, "the dashboard answers (its data stays in memory)");
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
            await silo.WaitForExitAsync();
        }

        try
        {
            // TMPDIR holds the runtime's diagnostics IPC socket (dotnet-diagnostic-<pid>-…) and debugger pipes
            // (clr-debug-pipe-<pid>-…), nothing else.
            Assert.All(
                Directory.GetFileSystemEntries(tmp, "*", SearchOption.AllDirectories).Select(Path.GetFileName),
                entry => Assert.True(entry!.StartsWith("dotnet-diagnostic-", StringComparison.Ordinal) || entry.StartsWith("clr-debug-pipe-", StringComparison.Ordinal), $"{entry} written to TMPDIR"));
            Assert.Empty(Directory.GetFileSystemEntries(home));
            Assert.Empty(Directory.GetFileSystemEntries(work));
            var after = Snapshot(app);
            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
