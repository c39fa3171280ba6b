using System.Net;

namespace Pool.Silo.Configuration;

/// <summary>Section "Pool:Cluster": which cluster this silo joins and how other silos and clients reach it.</summary>
public sealed class ClusterSettings
{
    public const string Section = "Pool:Cluster";

    /// <summary>Silos with the same ClusterId form one cluster (a deployment).</summary>
    public string ClusterId { get; set; } = "pool-local";

    /// <summary>Stable across deployments: grain state and reminders are keyed by it. Never change it for live data.</summary>
    public string ServiceId { get; set; } = "pool";

    /// <summary>Silo-to-silo port (Orleans default 11111 is avoided on purpose).</summary>
    public int SiloPort { get; set; } = 7410;

    /// <summary>Port Orleans clients (separate API front ends) connect to (Orleans default 30000 avoided).</summary>
    public int GatewayPort { get; set; } = 7420;

    /// <summary>The address other silos and clients use to reach this silo.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Running in Kubernetes: Orleans' Kubernetes hosting takes the cluster and service ids and the pod
    /// address from the pod (POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID)
    /// and removes members whose pods are gone.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>Failure detection timing (section "Pool:Cluster:Membership"): how soon a dead silo is declared dead.</summary>
    public MembershipTimingOptions Membership { get; set; } = new();

    internal IPAddress ParsedAddress => IPAddress.Parse(AdvertisedAddress);

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            yield return $"{Section}:ClusterId is required";
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return $"{Section}:ServiceId is required";
        }

        foreach (var error in Ports.Check($"{Section}:SiloPort", SiloPort).Concat(Ports.Check($"{Section}:GatewayPort", GatewayPort)))
        {
            yield return error;
        }

        if (SiloPort == GatewayPort)
        {
            yield return $"{Section}:SiloPort and {Section}:GatewayPort must differ (both are {SiloPort})";
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return $"{Section}:AdvertisedAddress '{AdvertisedAddress}' is not an IP address";
        }

        foreach (var error in Membership.Validate())
        {
            yield return error;
        }
    }
}
