namespace Pool.Grains.Routes;

/// <summary>How messages are routed (configuration section "Pool:Routes").</summary>
public sealed class RouteSelectionOptions
{
    public const string Section = "Pool:Routes";

    /// <summary>How long a silo's cached view of a route's health is trusted; every outcome recorded through the silo refreshes it at once.</summary>
    public TimeSpan RouteRefresh { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a silo's cached copy of a country's route table and route definitions is trusted.</summary>
    public TimeSpan TableRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Routes one message is tried on before the send is refused (a failed submit moves on to the next usable route).</summary>
    public int MaxAttempts { get; set; } = 2;

    /// <summary>A submit with no answer after this counts as a timeout.</summary>
    public TimeSpan SubmitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (RouteRefresh <= TimeSpan.Zero || TableRefresh <= TimeSpan.Zero)
        {
            yield return $"{Section}:RouteRefresh and {Section}:TableRefresh must be positive";
        }

        if (MaxAttempts is < 1 or > 5)
        {
            yield return $"{Section}:MaxAttempts must be between 1 and 5";
        }

        if (SubmitTimeout <= TimeSpan.Zero)
        {
            yield return $"{Section}:SubmitTimeout must be positive";
        }
    }
}
