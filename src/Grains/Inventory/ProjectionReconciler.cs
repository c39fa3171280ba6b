using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Pool.Grains.Leases;
using Pool.Grains.Numbers;
using Pool.Grains.Persistence;

namespace Pool.Grains.Inventory;

/// <summary>
/// Repairs the projections a silo could not write (it died with changes in its
/// <see cref="ProjectionJournal"/>, or stopped while PostgreSQL was away). Every <see cref="Period"/>
/// each silo compares the number and lease states written since the service's watermark (and at least
/// <see cref="Settle"/> ago, so the journal has had its chance) with their rows: a row whose revision is
/// lower than its state's stored version lacks a change, and is written from the stored state itself.
/// Then the watermark moves on. A lost change is therefore repaired within about Period + Settle, at the
/// cost of one indexed read per period (no write per lease); after a stop of the whole service the first
/// pass catches up from where the last one ended. Several silos may repair the same row: rows only move
/// forward in revision, so that is harmless.
/// </summary>
public sealed partial class ProjectionReconciler(
    NumberInventory inventory,
    [FromKeyedServices(PoolStorage.Name)] IGrainStorage storage,
    IOptions<ClusterOptions> cluster,
    ILogger<ProjectionReconciler> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>States compared per pass; more wait for the next pass.</summary>
    public const int MaxPerPass = 2000;

    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(ProjectionReconciler),
            ServiceLifecycleStage.Active,
            _ =>
            {
                _running = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
                return Task.CompletedTask;
            },
            async _ =>
            {
                await _stopping.CancelAsync();
                await _running;
            });

    /// <summary>One pass: repairs the rows behind their states and moves the watermark. Returns how many rows it repaired.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var serviceId = cluster.Value.ServiceId;
        var after = await inventory.ReadWatermarkAsync(serviceId, cancellationToken);
        var (behind, through) = await inventory.ListBehindAsync(serviceId, after, Settle, MaxPerPass, cancellationToken);
        var numbers = new List<NumberProjection>();
        var leases = new List<LeaseProjection>();
        foreach (var row in behind)
        {
            if (row.StateName == "number")
            {
                var state = new GrainState<NumberState>(new NumberState());
                await storage.ReadStateAsync(row.StateName, GrainId.Create("number", row.Key), state, cancellationToken);
                numbers.Add(state.State!.ToProjection(row.Key, row.ModifiedOn));
            }
            else
            {
                var state = new GrainState<LeaseState>(new LeaseState());
                await storage.ReadStateAsync(row.StateName, GrainId.Create("lease", row.Key), state, cancellationToken);
                if (state.State?.ToProjection() is { } lease)
                {
                    leases.Add(lease);
                }
            }
        }

        if (numbers.Count > 0)
        {
            await inventory.ProjectNumbersAsync(numbers, cancellationToken);
        }

        if (leases.Count > 0)
        {
            await inventory.ProjectLeasesAsync(leases, cancellationToken);
        }

        await inventory.AdvanceWatermarkAsync(serviceId, through, cancellationToken);
        if (behind.Count > 0)
        {
            LogRepaired(logger, numbers.Count, leases.Count);
        }

        return numbers.Count + leases.Count;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Period, stopping);
                await ReconcileAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The watermark did not move: the next pass covers the same window.
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Projection reconciler re-projected {Numbers} numbers and {Leases} leases whose last change was missing")]
    private static partial void LogRepaired(ILogger logger, int numbers, int leases);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Projection reconciler pass failed; the next pass covers the same window")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
