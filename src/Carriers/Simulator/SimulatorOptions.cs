namespace Pool.Carriers.Simulator;

/// <summary>
/// The embedded carrier simulator (section Pool:Simulator): SMSCs on loopback, one per simulated route,
/// each bound by an SMPP connection of the same name. Scripts/run.sh turns it on; production leaves it off.
/// </summary>
public sealed class SimulatorOptions
{
    public const string Section = "Pool:Simulator";

    public bool Enabled { get; set; }

    /// <summary>Simulated routes by name; none given: "sim-a" and "sim-b".</summary>
    public Dictionary<string, SimulatedRouteOptions> Routes { get; } = new(StringComparer.Ordinal);

    /// <summary>Simulated HTTP carriers by name; none given: "sim-http".</summary>
    public Dictionary<string, SimulatedRouteOptions> HttpRoutes { get; } = new(StringComparer.Ordinal);

    /// <summary>Where Pool's own web server answers (set by the host, never configured): simulated HTTP carriers post there and are served there.</summary>
    public Uri? PoolBaseAddress { get; set; }

    /// <summary>The signing secret of each simulated HTTP carrier, made at start (never configured).</summary>
    public Dictionary<string, string> HttpSecrets { get; } = new(StringComparer.Ordinal);

    /// <summary>The simulated HTTP carriers to run: those configured, or the default.</summary>
    public IReadOnlyDictionary<string, SimulatedRouteOptions> EffectiveHttpRoutes =>
        HttpRoutes.Count > 0 ? HttpRoutes : new Dictionary<string, SimulatedRouteOptions> { ["sim-http"] = new() };

    /// <summary>The routes to run: those configured, or the two defaults.</summary>
    public IReadOnlyDictionary<string, SimulatedRouteOptions> EffectiveRoutes =>
        Routes.Count > 0 ? Routes : new Dictionary<string, SimulatedRouteOptions> { ["sim-a"] = new(), ["sim-b"] = new() };
}

public sealed class SimulatedRouteOptions
{
    /// <summary>The SMSC's port on 127.0.0.1; 0 picks a free one (not used by simulated HTTP carriers).</summary>
    public int Port { get; set; }

    /// <summary>How long after a submit the SMSC sends its delivery receipt.</summary>
    public TimeSpan ReceiptDelay { get; set; } = TimeSpan.FromMilliseconds(300);
}
