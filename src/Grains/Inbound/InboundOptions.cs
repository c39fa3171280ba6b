namespace Pool.Grains.Inbound;

/// <summary>Inbound pipeline settings (section Pool:Inbound).</summary>
public sealed class InboundOptions
{
    public const string Section = "Pool:Inbound";

    /// <summary>How long a concatenated message waits for missing parts before it is delivered incomplete.</summary>
    public TimeSpan ConcatenationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Message text retention for numbers in no pool (a pool's own retention is its policy).</summary>
    public TimeSpan DefaultMessageRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention job runs (a reminder: at least a minute).</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long finished webhook deliveries are kept.</summary>
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A message stored this long ago and still not routed is routed by the recovery job (every minute).</summary>
    public TimeSpan RecoveryGrace { get; set; } = TimeSpan.FromSeconds(30);
}
