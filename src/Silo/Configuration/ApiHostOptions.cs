using System.Net;

namespace Pool.Silo.Configuration;

/// <summary>Section "Pool:Api": the gRPC API and the HTTP endpoints (dashboard, health) of this process.</summary>
public sealed class ApiHostOptions
{
    public const string Section = "Pool:Api";

    /// <summary>Serve the pool.v1 gRPC API from a silo process (Pool:Role all); false makes it the same as Pool:Role silo.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address the API and HTTP endpoints listen on; loopback unless configured otherwise.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>gRPC port (HTTP/2 only; TLS when a certificate is configured, cleartext otherwise).</summary>
    public int GrpcPort { get; set; } = 7400;

    /// <summary>HTTP port for the dashboard (/dashboard) and health (/healthz, /readyz).</summary>
    public int HttpPort { get; set; } = 7401;

    /// <summary>Serve the Orleans Dashboard at /dashboard (processes that host a silo).</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>
    /// Serve cleartext on a non-loopback <see cref="ListenAddress"/>: only where something in front
    /// (a service mesh, an ingress) terminates TLS. Off by default so an exposed port is never cleartext by accident.
    /// </summary>
    public bool AllowInsecure { get; set; }

    /// <summary>The server certificate (section Pool:Api:Tls).</summary>
    public TlsOptions Tls { get; set; } = new();

    internal IPAddress ParsedAddress => IPAddress.Parse(ListenAddress);

    internal IEnumerable<string> Validate()
    {
        var addressValid = IPAddress.TryParse(ListenAddress, out var address);
        if (!addressValid)
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

        foreach (var error in Tls.LoadCertificate())
        {
            yield return error;
        }

        if (addressValid && !Tls.Configured && !AllowInsecure && !IPAddress.IsLoopback(address!))
        {
            yield return $"{TlsOptions.Section}:CertificatePath is required when {Section}:ListenAddress ({ListenAddress}) is not a loopback address: " +
                $"configure a certificate, or set {Section}:AllowInsecure=true where a mesh or ingress terminates TLS in front of Pool";
        }
    }
}
