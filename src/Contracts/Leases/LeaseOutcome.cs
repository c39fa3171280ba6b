namespace Pool.Contracts.Leases;

/// <summary>How a lease ended. Values are persisted: never renumber them.</summary>
[GenerateSerializer, Alias("pool.LeaseOutcome")]
public enum LeaseOutcome
{
    /// <summary>The lease has not ended.</summary>
    None = 0,

    /// <summary>The client got what it needed.</summary>
    Completed = 1,

    /// <summary>The client gave the number back unused.</summary>
    Cancelled = 2,

    /// <summary>The TTL ran out.</summary>
    Expired = 3,

    /// <summary>The client reports the number as unusable (blocked by the service, already registered...).</summary>
    BadNumber = 4,
}
