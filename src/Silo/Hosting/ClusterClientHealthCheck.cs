using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pool.Silo.Hosting;

/// <summary>Ready when the cluster client of an api-role process holds a connection to at least one silo gateway.</summary>
public sealed class ClusterClientHealthCheck(ClusterConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var gateways = connection.ConnectedGateways;
        return Task.FromResult(gateways > 0
            ? HealthCheckResult.Healthy($"connected to {gateways} silo gateway(s)")
            : HealthCheckResult.Unhealthy("not connected to any silo gateway"));
    }
}
