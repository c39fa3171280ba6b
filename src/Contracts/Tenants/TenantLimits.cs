using Orleans.Concurrency;

namespace Pool.Contracts.Tenants;

/// <summary>What a tenant may do. Defaults suit a new integration; operators raise them per tenant.</summary>
[GenerateSerializer, Immutable, Alias("pool.TenantLimits")]
public sealed record TenantLimits
{
    public static TenantLimits Default { get; } = new();

    /// <summary>Calls per second per API process (a token bucket: bursts up to one second's worth).</summary>
    [Id(0)]
    public int RequestsPerSecond { get; init; } = 50;

    /// <summary>Leases open at the same time.</summary>
    [Id(1)]
    public int MaxActiveLeases { get; init; } = 100;

    /// <summary>Most recent ended leases the anti-scan rule looks at.</summary>
    [Id(2)]
    public int ScanWindow { get; init; } = 50;

    /// <summary>Ended leases needed before the anti-scan rule judges.</summary>
    [Id(3)]
    public int ScanMinLeases { get; init; } = 20;

    /// <summary>Share of those leases without any SMS (percent) that throttles the tenant.</summary>
    [Id(4)]
    public int ScanSilentPercent { get; init; } = 90;

    /// <summary>How long the anti-scan throttle refuses new leases.</summary>
    [Id(5)]
    public TimeSpan ScanCooloff { get; init; } = TimeSpan.FromMinutes(10);

    public IEnumerable<(string Field, string Problem)> Validate()
    {
        if (RequestsPerSecond is < 1 or > 100_000)
        {
            yield return ("requests_per_second", $"{RequestsPerSecond} is out of range (1 to 100000)");
        }

        if (MaxActiveLeases is < 1 or > 1_000_000)
        {
            yield return ("max_active_leases", $"{MaxActiveLeases} is out of range (1 to 1000000)");
        }

        if (ScanWindow is < 1 or > 10_000)
        {
            yield return ("scan_window", $"{ScanWindow} is out of range (1 to 10000)");
        }

        if (ScanMinLeases < 1 || ScanMinLeases > ScanWindow)
        {
            yield return ("scan_min_leases", $"{ScanMinLeases} must be from 1 to scan_window ({ScanWindow})");
        }

        if (ScanSilentPercent is < 1 or > 100)
        {
            yield return ("scan_silent_percent", $"{ScanSilentPercent} is out of range (1 to 100)");
        }

        if (ScanCooloff < TimeSpan.FromSeconds(1) || ScanCooloff > TimeSpan.FromDays(7))
        {
            yield return ("scan_cooloff", $"{ScanCooloff} is out of range (1 second to 7 days)");
        }
    }
}

/// <summary>Per-tenant admission of leases: the concurrent-lease quota and the anti-scan rule.</summary>
[Alias("pool.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves a place for a new lease, or refuses with Exhausted (quota reached, or throttled by the
    /// anti-scan rule; the message says which and when to retry).
    /// </summary>
    [Alias("Admit")]
    Task AdmitLeaseAsync(string leaseId);

    /// <summary>Gives back a reservation whose lease did not open. One-way: bookkeeping the lease need not wait for.</summary>
    [OneWay, Alias("Withdraw")]
    Task WithdrawAsync(string leaseId);

    /// <summary>A lease of the tenant ended; <paramref name="receivedSms"/> feeds the anti-scan rule. One-way: the release need not wait for it.</summary>
    [OneWay, Alias("LeaseEnded")]
    Task LeaseEndedAsync(string leaseId, bool receivedSms);

    /// <summary>Forgets cached limits (after an operator changed them).</summary>
    [Alias("Refresh")]
    Task RefreshAsync();
}
