using System.Globalization;

namespace Pool.Bench.Measurement;

/// <summary>
/// The resident memory of this process (which hosts the silo, its gRPC API and the load generator), as
/// Linux reports it in /proc/self/status: VmRSS now and VmHWM, the peak since the process started or
/// since the peak was last reset.
/// </summary>
internal static class ProcessMemory
{
    private const string StatusFile = "/proc/self/status";
    private const string ClearRefsFile = "/proc/self/clear_refs";

    /// <summary>VmRSS and VmHWM in bytes; null where the file or the line is missing (not Linux).</summary>
    public static (long? ResidentBytes, long? PeakResidentBytes) Read()
    {
        if (!File.Exists(StatusFile))
        {
            return (null, null);
        }

        long? resident = null, peak = null;
        foreach (var line in File.ReadLines(StatusFile))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (resident, peak);
    }

    /// <summary>
    /// Resets VmHWM to the current VmRSS (writing "5" to /proc/self/clear_refs, Linux 4.0 and later), so that
    /// the next <see cref="Read"/> gives the peak since now. False when the kernel refused it: the peak is then
    /// the process's since it started.
    /// </summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText(ClearRefsFile, "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>"VmRSS:	  123456 kB" → 123456 × 1024.</summary>
    private static long? Kilobytes(string line)
    {
        var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        var number = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
    }
}
