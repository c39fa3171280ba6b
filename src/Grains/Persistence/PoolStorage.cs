namespace Pool.Grains.Persistence;

/// <summary>The grain storage provider every Pool grain persists through (ADO.NET on PostgreSQL).</summary>
public static class PoolStorage
{
    public const string Name = "pool";
}
