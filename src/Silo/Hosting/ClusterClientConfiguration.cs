using Orleans.Configuration;
using Pool.Silo.Configuration;

namespace Pool.Silo.Hosting;

/// <summary>The Orleans side of an api-role process: a cluster client that finds the silos' gateways in the membership table.</summary>
public static class ClusterClientConfiguration
{
    /// <summary>How often the client re-reads the gateways from the membership table (one small query).</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(10);

    /// <summary>How often the client asks a gateway for the cluster manifest (a small call; it also reconnects a client left without gateways).</summary>
    public static readonly TimeSpan ManifestRefreshPeriod = TimeSpan.FromSeconds(5);

    public static IClientBuilder UsePoolCluster(this IClientBuilder client, PoolSettings settings, ClusterConnection connection)
    {
        client.UseAdoNetClustering(options =>
        {
            options.Invariant = SiloConfiguration.Invariant;
            options.ConnectionString = settings.Database.ConnectionString;
        });
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.Cluster.ClusterId;
            options.ServiceId = settings.Cluster.ServiceId;
        });
        // Connections to gateways are opened on demand. After losing every gateway the client opens a
        // new one only when something calls through it, and an unready process gets no traffic: its
        // own cluster-manifest poll is that call. Defaults (1 min each) would keep an api process out
        // of service for a minute or two after the silos are back.
        client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        client.Configure<TypeManagementOptions>(options => options.TypeMapRefreshInterval = ManifestRefreshPeriod);
        client.AddClusterConnectionStatusObserver(connection);
        client.UseConnectionRetryFilter<WaitForGateways>();
        return client;
    }
}

/// <summary>
/// An api process may start before any silo (or while none is up): it keeps trying instead of
/// exiting, and stops when the host shuts down. Its ports open once it is connected, so until then
/// probes see a process that is still starting.
/// </summary>
internal sealed partial class WaitForGateways(ILogger<WaitForGateways> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan s_delay = TimeSpan.FromSeconds(2);

    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetrying(logger, Interlocked.Increment(ref _attempts), s_delay.TotalSeconds, exception.Message);
        try
        {
            await Task.Delay(s_delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Cluster connection attempt {Attempt} failed; retrying in {Seconds} s: {Reason}")]
    private static partial void LogRetrying(ILogger logger, int attempt, double seconds, string reason);
}
