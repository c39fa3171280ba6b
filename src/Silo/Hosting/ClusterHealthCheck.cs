using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Pool.Silo.Hosting;

/// <summary>Ready when this silo is an active member of the cluster.</summary>
public sealed class ClusterHealthCheck(ILocalSiloDetails silo, IClusterMembershipService membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo is {status}")
            : HealthCheckResult.Unhealthy($"silo is {status}"));
    }
}
