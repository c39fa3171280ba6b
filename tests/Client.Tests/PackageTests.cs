using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Pool.Testing;

namespace Pool.Client.Tests;

/// <summary>
/// The Pool.Client NuGet package as a backend team gets it: the one scripts/test.sh packs into artifacts/packages, or, when there
/// is none, one packed here into a temporary folder.
/// </summary>
public sealed class PackageTests
{
    private static readonly TimeSpan s_packTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_package_holds_the_library_its_XML_docs_the_README_and_its_identity()
    {
        var (package, temporary) = await PackageAsync();
        try
        {
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
            XDocument nuspec;
            await using (var stream = nuspecEntry.Open())
            {
                nuspec = await XDocument.LoadAsync(stream, LoadOptions.None, CancellationToken.None);
            }

            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
            string readme;
            using (var reader = new StreamReader(zip.GetEntry("README.md")!.Open()))
            {
                readme = await reader.ReadToEndAsync();
            }

            Assert.Contains("lib/net10.0/Pool.Client.dll", entries);
            Assert.Contains("lib/net10.0/Pool.Client.xml", entries);
            Assert.Equal("Pool.Client", Field("id"));
            Assert.Equal($"Pool.Client.{Field("version")}.nupkg", Path.GetFileName(package));
            Assert.Matches(@"^\d+\.\d+\.\d+", Field("version"));
            Assert.Equal("README.md", Field("readme"));
            Assert.Equal("expression", license.Attribute("type")?.Value);
            Assert.Equal("MIT", license.Value);
            Assert.Equal("Pool", Field("authors"));
            Assert.False(string.IsNullOrWhiteSpace(Field("description")), "the package has a description");
            Assert.Contains("Grpc.Net.Client", nuspec.ToString(), StringComparison.Ordinal);
            Assert.Contains("WatchAllMessagesAsync", readme, StringComparison.Ordinal);
            Assert.Contains("dotnet add package Pool.Client", readme, StringComparison.Ordinal);
        }
        finally
        {
            if (temporary is not null)
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    [Fact]
    public void Pool_Client_is_the_only_packable_project_and_nothing_packs_by_default()
    {
        var props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"));
        var projects = Directory.EnumerateFiles(Repository.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var packable = projects
            .Where(p => XDocument.Load(p).Descendants().Any(e => e.Name.LocalName == "IsPackable" && e.Value.Trim() == "true"))
            .Select(p => Path.GetFileName(p))
            .ToList();

        Assert.Contains(props.Descendants(), e => e.Name.LocalName == "IsPackable" && e.Value.Trim() == "false" && e.Attribute("Condition") is null && e.Parent!.Attribute("Condition") is null);
        Assert.Equal(["Pool.Client.csproj"], packable);
    }

    /// <summary>The newest Pool.Client package in artifacts/packages, or one packed now (and the folder to delete).</summary>
    private static async Task<(string Package, string? Temporary)> PackageAsync()
    {
        var artifacts = Path.Combine(Repository.Root, "artifacts", "packages");
        var built = Directory.Exists(artifacts)
            ? Directory.EnumerateFiles(artifacts, "Pool.Client.*.nupkg").Where(p => !p.EndsWith(".symbols.nupkg", StringComparison.Ordinal)).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        if (built is not null)
        {
            return (built, null);
        }

        var temporary = Path.Combine(Path.GetTempPath(), $"pool-client-pack-{Guid.NewGuid():n}");
        Directory.CreateDirectory(temporary);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var argument in new[] { "pack", Path.Combine("src", "Client", "Pool.Client.csproj"), "-c", "Release", "-nologo", "-o", temporary })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run dotnet pack");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_packTimeout);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet pack failed ({process.ExitCode}): {await output}{await error}");
        return (Assert.Single(Directory.GetFiles(temporary, "Pool.Client.*.nupkg")), temporary);
    }
}
