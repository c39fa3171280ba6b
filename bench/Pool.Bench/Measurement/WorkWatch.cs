using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pool.Grains.Persistence;

namespace Pool.Bench.Measurement;

/// <summary>
/// Work done over one measured window: the CPU time of this process (the silo, its gRPC API and the
/// benchmark's own clients together: <see cref="Process.TotalProcessorTime"/>, all threads) and the grain
/// storage's statements (<see cref="PoolGrainStorage.Commits"/>, <see cref="PoolGrainStorage.Reads"/>):
/// how many grain state writes and reads shared each statement.
/// </summary>
internal sealed class WorkWatch
{
    private readonly PoolGrainStorage? _storage;
    private readonly Task _started;
    private Snapshot? _start;

    private WorkWatch(long startAt, PoolGrainStorage? storage)
    {
        _storage = storage;
        _started = Task.Run(async () =>
        {
            var wait = startAt - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(RunClock.ToSeconds(wait)));
            }

            _start = Take();
        });
    }

    /// <summary>Starts counting at <paramref name="startAt"/> (a <see cref="Stopwatch"/> timestamp, e.g. the end of a warm-up).</summary>
    public static WorkWatch StartAt(long startAt, IServiceProvider silo) =>
        new(startAt, silo.GetKeyedService<Orleans.Storage.IGrainStorage>(PoolStorage.Name) as PoolGrainStorage);

    /// <summary>What was done since the start (all zero if the start was never reached).</summary>
    public async Task<WorkWindow> StopAsync()
    {
        await _started;
        if (_start is not { } start)
        {
            return new WorkWindow(0, 0, 0, 0, 0);
        }

        var end = Take();
        return new WorkWindow(
            (end.Cpu - start.Cpu).TotalMilliseconds,
            end.WriteStatements - start.WriteStatements,
            end.Writes - start.Writes,
            end.ReadStatements - start.ReadStatements,
            end.Reads - start.Reads);
    }

    private Snapshot Take()
    {
        using var process = Process.GetCurrentProcess();
        var (writeStatements, writes) = _storage?.Commits ?? (0, 0);
        var (readStatements, reads) = _storage?.Reads ?? (0, 0);
        return new Snapshot(process.TotalProcessorTime, writeStatements, writes, readStatements, reads);
    }

    private sealed record Snapshot(TimeSpan Cpu, long WriteStatements, long Writes, long ReadStatements, long Reads);
}

/// <summary>CPU milliseconds of the process, and grain state statements with the writes and reads they carried, over a measured window.</summary>
internal sealed record WorkWindow(double CpuMs, long WriteStatements, long StateWrites, long ReadStatements, long StateReads)
{
    public double WritesPerStatement => WriteStatements == 0 ? 0 : StateWrites / (double)WriteStatements;

    public double ReadsPerStatement => ReadStatements == 0 ? 0 : StateReads / (double)ReadStatements;
}
