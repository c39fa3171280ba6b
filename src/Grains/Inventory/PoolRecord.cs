namespace Pool.Grains.Inventory;

/// <summary>A pool as the inventory table holds it.</summary>
public sealed record PoolRecord(string PoolId, string Country, DateTimeOffset CreatedAt);

/// <summary>Where a number belongs.</summary>
public sealed record NumberRecord(string Number, string PoolId, string Country);
