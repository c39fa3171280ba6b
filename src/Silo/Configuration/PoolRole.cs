namespace Pool.Silo.Configuration;

/// <summary>Setting "Pool:Role": what this process runs.</summary>
public enum PoolRole
{
    /// <summary>"all": a silo with the gRPC API beside it (one process does everything).</summary>
    All,

    /// <summary>"silo": a silo with dashboard and health, no gRPC API.</summary>
    Silo,

    /// <summary>"api": the gRPC API and health as an Orleans client of the silos; no silo, no grains.</summary>
    Api,
}

internal static class PoolRoles
{
    public const string Setting = "Pool:Role";

    private static readonly Dictionary<string, PoolRole> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["all"] = PoolRole.All,
        ["silo"] = PoolRole.Silo,
        ["api"] = PoolRole.Api,
    };

    public static (PoolRole Role, string? Error) Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (PoolRole.All, null);
        }

        return s_names.TryGetValue(value.Trim(), out var role)
            ? (role, null)
            : (PoolRole.All, $"{Setting} '{value}' is not a role; use all (silo and API in one process), silo (no gRPC API) or api (the gRPC API as a client of the silos)");
    }
}
