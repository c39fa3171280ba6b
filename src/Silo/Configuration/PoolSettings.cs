using Microsoft.Extensions.Options;

namespace Pool.Silo.Configuration;

/// <summary>Every setting the host needs, bound and validated before anything starts.</summary>
public sealed record PoolSettings(DatabaseOptions Database, ClusterSettings Cluster, ApiHostOptions Api)
{
    /// <summary>Binds the settings; a misconfigured process refuses to start with every problem named.</summary>
    public static PoolSettings Load(IConfiguration configuration)
    {
        var settings = new PoolSettings(
            configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new(),
            configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new(),
            configuration.GetSection(ApiHostOptions.Section).Get<ApiHostOptions>() ?? new());

        var errors = settings.Database.Validate().Concat(settings.Cluster.Validate()).Concat(settings.Api.Validate()).ToList();
        (string Name, int Port)[] ports =
        {
            ($"{ClusterSettings.Section}:SiloPort", settings.Cluster.SiloPort),
            ($"{ClusterSettings.Section}:GatewayPort", settings.Cluster.GatewayPort),
            ($"{ApiHostOptions.Section}:GrpcPort", settings.Api.GrpcPort),
            ($"{ApiHostOptions.Section}:HttpPort", settings.Api.HttpPort),
        };
        errors.AddRange(ports
            .GroupBy(p => p.Port)
            .Where(g => g.Count() > 1 && g.Key is >= 1 and <= 65535)
            .Select(g => $"{string.Join(" and ", g.Select(p => p.Name))} all use port {g.Key}; each needs its own"));
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("Pool", typeof(PoolSettings), errors);
        }

        return settings;
    }
}
