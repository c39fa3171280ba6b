using Pool.Carriers.Smpp;
using Pool.Contracts.Operations;

namespace Pool.Silo.Operations;

/// <summary>
/// Reports this silo's SMPP binds to the <see cref="IBindRegistryGrain"/> every
/// <see cref="IBindRegistryGrain.ReportInterval"/>, so `poolctl status` sees the binds of every silo
/// (binds live in silo processes, not in grains). A failed report is retried at the next interval;
/// the registry shows a silo's binds stale after 3 missed intervals.
/// </summary>
internal sealed partial class BindReporter(SmppBinds binds, IGrainFactory grains, ILocalSiloDetails silo, TimeProvider time, ILogger<BindReporter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(IBindRegistryGrain.ReportInterval, time);
        var failing = false;
        do
        {
            try
            {
                await grains.GetGrain<IBindRegistryGrain>(0).ReportAsync(silo.SiloAddress.ToString(), Snapshot()).WaitAsync(stoppingToken);
                failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A report that fails (silo still starting, registry moving) is retried at the next tick.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (!failing)
                {
                    LogReportFailed(logger, ex.GetType().Name);
                }

                failing = true;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private List<BindReport> Snapshot() =>
        [.. binds.All.Select(bind => new BindReport(bind.Name, SmppMetrics.Name(bind.Client.State), bind.Client.WindowInUse, bind.Client.WindowSize, bind.Client.Throttles))];

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 9501, Level = LogLevel.Warning, Message = "Could not report this silo's SMPP binds ({Error}); retrying every interval")]
    private static partial void LogReportFailed(ILogger logger, string error);
}
