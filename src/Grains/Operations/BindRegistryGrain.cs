using Pool.Contracts.Operations;

namespace Pool.Grains.Operations;

/// <summary>
/// The SMPP binds each silo last reported, in memory. One activation for the cluster is fine here:
/// it takes one call per silo every 5 seconds and one per `poolctl status`, never a request of a lease
/// or a message. Reports older than 3 intervals are shown stale (the silo stopped reporting: stopped,
/// killed or partitioned); older than 10 they are dropped.
/// </summary>
public sealed class BindRegistryGrain([FromKeyedServices(PoolClock.Key)] TimeProvider time) : Grain, IBindRegistryGrain
{
    private readonly Dictionary<string, (DateTimeOffset At, IReadOnlyList<BindReport> Binds)> _silos = new(StringComparer.Ordinal);

    public Task ReportAsync(string silo, IReadOnlyList<BindReport> binds)
    {
        _silos[silo] = (time.GetUtcNow(), binds);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BindStatus>> ListAsync()
    {
        var now = time.GetUtcNow();
        foreach (var gone in _silos.Where(s => now - s.Value.At > IBindRegistryGrain.ReportInterval * 10).Select(s => s.Key).ToList())
        {
            _silos.Remove(gone);
        }

        IReadOnlyList<BindStatus> binds = [.. _silos
            .SelectMany(silo => silo.Value.Binds.Select(b => new BindStatus(
                b.Connection, silo.Key, b.State, b.WindowInUse, b.WindowSize, b.Throttles, silo.Value.At, now - silo.Value.At > IBindRegistryGrain.ReportInterval * 3)))
            .OrderBy(b => b.Connection, StringComparer.Ordinal)
            .ThenBy(b => b.Silo, StringComparer.Ordinal)];
        return Task.FromResult(binds);
    }
}
