using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace Pool.Grains.Inventory;

/// <summary>
/// The write-behind of number and lease state into the queryable tables. Grains hand their new state
/// here after their own durable write and never wait for it; <see cref="ProjectionWriter"/> writes
/// the changes in batches, so the projections cost a fraction of a write per transition. The
/// projections are eventually consistent (milliseconds behind, and after a silo crash behind until
/// the number's or lease's next transition); the grains' state stays the truth.
/// </summary>
public sealed class ProjectionJournal
{
    private readonly Channel<object> _changes = Channel.CreateBounded<object>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    internal ChannelReader<object> Reader => _changes.Reader;

    public void Number(NumberProjection change) => _changes.Writer.TryWrite(change);

    public void Lease(LeaseProjection change) => _changes.Writer.TryWrite(change);
}

/// <summary>Drains the <see cref="ProjectionJournal"/> into PostgreSQL in batches of up to <see cref="MaxBatch"/>.</summary>
public sealed partial class ProjectionWriter(ProjectionJournal journal, NumberInventory inventory, ILogger<ProjectionWriter> logger) : BackgroundService
{
    public const int MaxBatch = 2000;
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await journal.Reader.WaitToReadAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutting down: write what is left, without the stopping token.
        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var numbers = new Dictionary<string, NumberProjection>(StringComparer.Ordinal);
        var leases = new Dictionary<string, LeaseProjection>(StringComparer.Ordinal);
        while (numbers.Count + leases.Count < MaxBatch && journal.Reader.TryRead(out var change))
        {
            switch (change)
            {
                case NumberProjection n when !numbers.TryGetValue(n.Number, out var seen) || seen.Revision < n.Revision:
                    numbers[n.Number] = n;
                    break;
                case LeaseProjection l when !leases.TryGetValue(l.LeaseId, out var seen) || seen.Revision < l.Revision:
                    leases[l.LeaseId] = l;
                    break;
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (numbers.Count > 0)
                {
                    await inventory.ProjectNumbersAsync([.. numbers.Values], cancellationToken);
                }

                if (leases.Count > 0)
                {
                    await inventory.ProjectLeasesAsync([.. leases.Values], cancellationToken);
                }

                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < 5)
            {
                LogRetry(logger, numbers.Count + leases.Count, attempt, ex);
                await Task.Delay(s_retryDelay * attempt, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDropped(logger, numbers.Count + leases.Count, ex);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Projection batch of {Count} changes failed (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, int count, int attempt, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Projection batch of {Count} changes dropped after repeated failures; the projection lags until the next transition")]
    private static partial void LogDropped(ILogger logger, int count, Exception exception);
}
