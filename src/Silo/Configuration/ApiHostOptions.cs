using System.Net;

namespace Pool.Silo.Configuration;

/// <summary>Section "Pool:Api": the co-hosted gRPC API and the HTTP endpoints (dashboard, health).</summary>
public sealed class ApiHostOptions
{
    public const string Section = "Pool:Api";

    /// <summary>Serve the pool.v1 gRPC API from this process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address the API and HTTP endpoints listen on; loopback unless configured otherwise.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>gRPC port (HTTP/2 only, cleartext).</summary>
    public int GrpcPort { get; set; } = 7400;

    /// <summary>HTTP port for the dashboard (/dashboard) and health (/healthz, /readyz).</summary>
    public int HttpPort { get; set; } = 7401;

    /// <summary>Serve the Orleans Dashboard at /dashboard.</summary>
    public bool Dashboard { get; set; } = true;

    internal IPAddress ParsedAddress => IPAddress.Parse(ListenAddress);

    internal IEnumerable<string> Validate()
    {
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            yield return $"{Section}:ListenAddress '{ListenAddress}' is not an IP address";
        }

        foreach (var error in Ports.Check($"{Section}:GrpcPort", GrpcPort).Concat(Ports.Check($"{Section}:HttpPort", HttpPort)))
        {
            yield return error;
        }

        if (GrpcPort == HttpPort)
        {
            yield return $"{Section}:GrpcPort and {Section}:HttpPort must differ (gRPC needs an HTTP/2-only port; both are {GrpcPort})";
        }
    }
}
