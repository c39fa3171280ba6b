using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Pool.Bench;

/// <summary>The machine a run measured: results mean nothing without it.</summary>
internal sealed record MachineInfo(
    DateTimeOffset Date,
    string Host,
    int Processors,
    string CpuModel,
    [property: System.Text.Json.Serialization.JsonPropertyName("memory_gib")] double MemoryGiB,
    string Os,
    string Kernel,
    string Dotnet,
    string GarbageCollector)
{
    public static MachineInfo Collect() => new(
        DateTimeOffset.UtcNow,
        Environment.MachineName,
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        MemoryTotalGiB(),
        OsName(),
        KernelRelease(),
        RuntimeInformation.FrameworkDescription,
        GCSettings.IsServerGC ? "server" : "workstation");

    private static double MemoryTotalGiB()
    {
        // "MemTotal:       24567890 kB"
        var value = FirstValue("/proc/meminfo", "MemTotal");
        var kilobytes = value?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(kilobytes, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb)
            ? Math.Round(kb / 1024.0 / 1024.0, 1)
            : 0;
    }

    private static string OsName()
    {
        const string Key = "PRETTY_NAME=";
        var line = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal));
        return line is null ? RuntimeInformation.OSDescription : line[Key.Length..].Trim('"');
    }

    private static string KernelRelease()
    {
        var release = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault()?.Trim();
        return release is null ? RuntimeInformation.OSDescription : $"Linux {release}";
    }

    /// <summary>The value of the first "key : value" line of a /proc style file.</summary>
    private static string? FirstValue(string path, string key)
    {
        foreach (var line in ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().SequenceEqual(key))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
