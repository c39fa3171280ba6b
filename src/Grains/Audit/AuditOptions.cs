namespace Pool.Grains.Audit;

/// <summary>
/// The audit log's retention (configuration section "Pool:Audit"). Rows older than
/// <see cref="Retention"/> are purged by the retention grain every <see cref="PurgeInterval"/>, at most
/// <see cref="PurgeBatch"/> rows per statement. The database itself never deletes a row younger than one
/// day, whatever the setting.
/// </summary>
public sealed class AuditOptions
{
    public const string Section = "Pool:Audit";

    /// <summary>How long audit rows are kept (default 400 days: a year and a month of slack for an annual review).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How often the purge runs (a reminder: at least one minute).</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per purge statement; a purge runs statements until fewer come back.</summary>
    public int PurgeBatch { get; set; } = 10_000;

    public IEnumerable<string> Validate()
    {
        if (Retention < TimeSpan.FromDays(1))
        {
            yield return $"{Section}:Retention must be at least one day (1.00:00:00); it is {Retention}";
        }

        if (PurgeInterval < TimeSpan.FromMinutes(1))
        {
            yield return $"{Section}:PurgeInterval must be at least one minute (00:01:00); it is {PurgeInterval}";
        }

        if (PurgeBatch is < 1 or > 1_000_000)
        {
            yield return $"{Section}:PurgeBatch must be 1 to 1000000; it is {PurgeBatch}";
        }
    }
}
