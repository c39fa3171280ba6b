namespace Pool.Grains.Webhooks;

/// <summary>Webhook delivery settings (section Pool:Webhooks).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Pool:Webhooks";

    /// <summary>
    /// Waits between attempts, after the first: about a day in all, with ±20% jitter on each. A delivery
    /// still failing after the last is given up (Failed) and can be replayed.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4),
        TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    /// <summary>Allow plain-http endpoints on any host (otherwise https, or http on a loopback host only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>How long an endpoint has to answer one attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the dispatcher looks for due retries when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries in flight at once per silo.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Waits between attempts; null for <see cref="DefaultRetrySchedule"/>.</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>Most endpoints a tenant may have.</summary>
    public int MaxEndpointsPerTenant { get; set; } = 10;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, with jitter; null when retries ran out.</summary>
    public TimeSpan? NextDelay(int attempt, double random)
    {
        var schedule = RetrySchedule ?? DefaultRetrySchedule;
        if (attempt < 1 || attempt > schedule.Count)
        {
            return null;
        }

        return schedule[attempt - 1] * (0.8 + (0.4 * random));
    }
}
