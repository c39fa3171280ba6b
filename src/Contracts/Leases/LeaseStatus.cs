namespace Pool.Contracts.Leases;

/// <summary>Whether a lease still holds its number. Values are persisted: never renumber them.</summary>
[GenerateSerializer, Alias("pool.LeaseStatus")]
public enum LeaseStatus
{
    Active = 0,
    Ended = 1,
}

/// <summary>Where an active lease's verification stands. Values are persisted: never renumber them.</summary>
[GenerateSerializer, Alias("pool.SessionState")]
public enum SessionState
{
    /// <summary>Waiting for an SMS with a code.</summary>
    Waiting = 0,

    /// <summary>An SMS with a code arrived; the client may complete, or ask for another SMS.</summary>
    CodeReceived = 1,
}
