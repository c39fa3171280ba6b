namespace Pool.Contracts.Leases;

/// <summary>Whether a lease still holds its number. Values are persisted: never renumber them.</summary>
[GenerateSerializer, Alias("pool.LeaseStatus")]
public enum LeaseStatus
{
    Active = 0,
    Ended = 1,
}
