namespace Pool.Grains.Inventory;

/// <summary>
/// Drains the <see cref="ProjectionJournal"/> into PostgreSQL in batches of up to <see cref="MaxBatch"/>
/// rows per statement, letting changes gather for <see cref="Linger"/> first. It runs in the silo's lifecycle at <see cref="ServiceLifecycleStage.ApplicationServices"/>:
/// a stopping silo stops that stage only after it has deactivated its grains, so the last transitions
/// of a graceful shutdown are in the journal when the writer writes what is left. A failed write is
/// handed back to the journal and tried again (with a growing pause, at most <see cref="MaxPause"/>);
/// nothing is dropped. At shutdown the writer keeps trying for <see cref="StopBudget"/>; what it still
/// cannot write then is logged and left to <see cref="ProjectionReconciler"/>.
/// </summary>
public sealed partial class ProjectionWriter(ProjectionJournal journal, NumberInventory inventory, ILogger<ProjectionWriter> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    public const int MaxBatch = 2000;
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the writer lets changes gather after the first one arrives: under load one statement then
    /// carries every number and lease changed in that time instead of one or two (the rows are behind the
    /// grains anyway; this adds at most this much to their lag).
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(25);

    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ProjectionWriter), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    /// <summary>Starts the loop (the silo lifecycle calls it).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop and writes everything the journal holds.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running;
        var deadline = DateTime.UtcNow + StopBudget;
        for (var attempt = 1; journal.Count > 0; attempt++)
        {
            if (await TryWriteAsync(attempt, CancellationToken.None))
            {
                continue;
            }

            if (DateTime.UtcNow >= deadline)
            {
                LogLeftAtStop(logger, journal.Count);
                return;
            }

            await Task.Delay(Pause(attempt), CancellationToken.None);
        }

        LogFlushedAtStop(logger);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await journal.WaitAsync(stopping);
                await Task.Delay(Linger, stopping);
                failures = await TryWriteAsync(failures + 1, stopping) ? 0 : failures + 1;
                if (failures > 0)
                {
                    await Task.Delay(Pause(failures), stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Writes what the journal holds; on failure hands it back and answers false.</summary>
    private async Task<bool> TryWriteAsync(int attempt, CancellationToken cancellationToken)
    {
        var (numbers, leases) = journal.TakeAll();
        var written = 0;
        try
        {
            foreach (var chunk in numbers.Chunk(MaxBatch))
            {
                await inventory.ProjectNumbersAsync(chunk, cancellationToken);
                written += chunk.Length;
            }

            foreach (var chunk in leases.Chunk(MaxBatch))
            {
                await inventory.ProjectLeasesAsync(chunk, cancellationToken);
                written += chunk.Length;
            }

            return true;
        }
        catch (Exception ex)
        {
            // Everything goes back, also what was written: a row only moves forward in revision, so writing it twice is harmless.
            journal.Restore(numbers, leases);
            if (ex is not OperationCanceledException)
            {
                LogRetry(logger, numbers.Count + leases.Count - written, attempt, ex);
            }

            return false;
        }
    }

    private static TimeSpan Pause(int failures) => TimeSpan.FromMilliseconds(Math.Min(MaxPause.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 8) - 1)));

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Projection write of {Count} changes failed (attempt {Attempt}); kept and retried")]
    private static partial void LogRetry(ILogger logger, int count, int attempt, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Silo stopping with {Count} projection changes it could not write; the projection reconciler repairs them")]
    private static partial void LogLeftAtStop(ILogger logger, int count);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Projection journal flushed at stop")]
    private static partial void LogFlushedAtStop(ILogger logger);
}
