namespace Pool.Contracts.Numbers;

/// <summary>Where a virtual number is in its life. Values are persisted: never renumber them.</summary>
[GenerateSerializer, Alias("pool.NumberStatus")]
public enum NumberStatus
{
    /// <summary>Provisioned and free to lease.</summary>
    Available = 0,

    /// <summary>Held by exactly one live lease.</summary>
    Leased = 1,
}
