using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Pool.Silo.Configuration;
using Pool.Testing;

namespace Pool.Deploy.Tests;

/// <summary>
/// The inputs of the image checks: the Dockerfiles, the publish output scripts/test.sh produces
/// (artifacts/publish/&lt;image&gt;, the same command as each Dockerfile's build stage), and the ports
/// each image's process listens on.
/// </summary>
public static class Artifacts
{
    private static readonly SemaphoreSlim s_publishing = new(1, 1);

    /// <summary>deploy/docker/&lt;image&gt;.Dockerfile, by image name.</summary>
    public static IReadOnlyDictionary<string, string> Dockerfiles { get; } =
        Directory.GetFiles(Path.Combine(Repository.Root, "deploy", "docker"), "*.Dockerfile")
            .ToDictionary(path => Path.GetFileName(path)[..^".Dockerfile".Length], StringComparer.Ordinal);

    public static Version SdkVersion()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "global.json")));
        return Version.Parse(json.RootElement.GetProperty("sdk").GetProperty("version").GetString()!);
    }

    /// <summary>
    /// artifacts/publish/&lt;image&gt; as scripts/test.sh leaves it; when it is missing (a test run on its own),
    /// published here with the Dockerfile's own command (dotnet publish &lt;project&gt; -c Release).
    /// </summary>
    public static async Task<string> PublishOutputAsync(string image)
    {
        var output = Path.Combine(Repository.Root, "artifacts", "publish", image);
        await s_publishing.WaitAsync();
        try
        {
            if (Directory.Exists(output) && Directory.GetFiles(output, "*.runtimeconfig.json").Length > 0)
            {
                return output;
            }

            var dockerfile = Dockerfile.Load(Dockerfiles[image]);
            var build = dockerfile.Stages.First(s => DockerfileRules.Kind(s.Image) == "sdk");
            var publish = DockerfileRules.PublishCommand(build) ?? throw new InvalidOperationException($"{image}: the build stage has no dotnet publish");
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "publish", publish.Project, "-c", "Release", "-o", output, "-nologo" })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(15)))
            {
                await process.WaitForExitAsync(deadline.Token);
            }

            Assert.True(process.ExitCode == 0, $"dotnet publish {publish.Project} failed:\n{await stdout}\n{await stderr}");
            return output;
        }
        finally
        {
            s_publishing.Release();
        }
    }

    /// <summary>The settings pool-silo runs with: its appsettings.json, then the given settings (environment or command line).</summary>
    public static PoolSettings SiloSettings(IEnumerable<KeyValuePair<string, string?>> settings) =>
        PoolSettings.Load(SiloConfiguration(settings));

    public static IConfiguration SiloConfiguration(IEnumerable<KeyValuePair<string, string?>> settings) => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(Repository.Root, "src", "Silo", "appsettings.json"), optional: false)
        .AddInMemoryCollection(settings)
        .Build();

    /// <summary>The ports a pool-silo process with these settings listens on, by role.</summary>
    public static IReadOnlySet<int> ListenPorts(PoolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ports = new HashSet<int> { settings.Api.HttpPort };
        if (settings.HostsSilo)
        {
            ports.Add(settings.Cluster.SiloPort);
            ports.Add(settings.Cluster.GatewayPort);
        }

        if (settings.ServesApi)
        {
            ports.Add(settings.Api.GrpcPort);
        }

        return ports;
    }

    /// <summary>The ports each image's process listens on by default (an image missing here fails the checks).</summary>
    public static IReadOnlySet<int> DefaultPorts(string image) => image switch
    {
        "pool-silo" => ListenPorts(SiloSettings([])),
        "poolctl" => new HashSet<int>(),
        _ => throw new Xunit.Sdk.XunitException($"deploy/docker/{image}.Dockerfile: say in Artifacts.DefaultPorts which ports its process listens on"),
    };

    /// <summary>The health endpoints pool-silo maps (MapHealthChecks in src/Silo/Hosting/PoolHost.cs).</summary>
    public static IReadOnlySet<string> HealthPaths() =>
        System.Text.RegularExpressions.Regex.Matches(
                File.ReadAllText(Path.Combine(Repository.Root, "src", "Silo", "Hosting", "PoolHost.cs")),
                "MapHealthChecks\\(\"(?<path>/[^\"]*)\"")
            .Select(m => m.Groups["path"].Value)
            .ToHashSet(StringComparer.Ordinal);
}
