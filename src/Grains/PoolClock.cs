namespace Pool.Grains;

/// <summary>
/// The clock of Pool's domain logic (lease deadlines, cooldowns, quarantines), registered as a keyed
/// <see cref="TimeProvider"/> so tests can replace it with a fake one without touching the clock the
/// Orleans runtime itself runs on (membership, timers, reminders).
/// </summary>
public static class PoolClock
{
    public const string Key = "pool";
}
