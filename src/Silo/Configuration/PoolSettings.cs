using Microsoft.Extensions.Options;

namespace Pool.Silo.Configuration;

/// <summary>Every setting the host needs, bound and validated before anything starts.</summary>
public sealed record PoolSettings(DatabaseOptions Database, ClusterSettings Cluster, ApiHostOptions Api, PoolRole Role = PoolRole.All)
{
    /// <summary>This process runs a silo (roles all and silo): grains, grain storage, reminders, the dashboard.</summary>
    public bool HostsSilo => Role != PoolRole.Api;

    /// <summary>This process serves the pool.v1 gRPC API (role api, or role all with Pool:Api:Enabled).</summary>
    public bool ServesApi => Role == PoolRole.Api || (Role == PoolRole.All && Api.Enabled);

    /// <summary>Binds the settings; a misconfigured process refuses to start with every problem named.</summary>
    public static PoolSettings Load(IConfiguration configuration)
    {
        var (role, roleError) = PoolRoles.Parse(configuration[PoolRoles.Setting]);
        var settings = new PoolSettings(
            configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new(),
            configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new(),
            configuration.GetSection(ApiHostOptions.Section).Get<ApiHostOptions>() ?? new(),
            role);

        var errors = settings.Database.Validate().Concat(settings.Cluster.Validate()).Concat(settings.Api.Validate()).ToList();
        if (roleError is not null)
        {
            errors.Insert(0, roleError);
        }
        else if (role == PoolRole.Api && !settings.Api.Enabled)
        {
            errors.Add($"{ApiHostOptions.Section}:Enabled=false contradicts {PoolRoles.Setting}=api (an api process serves nothing but the API); use {PoolRoles.Setting}=silo for a process without the API");
        }

        errors.AddRange(PortsInUse(settings)
            .GroupBy(p => p.Port)
            .Where(g => g.Count() > 1 && g.Key is >= 1 and <= 65535)
            .Select(g => $"{string.Join(" and ", g.Select(p => p.Name))} all use port {g.Key}; each needs its own"));
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("Pool", typeof(PoolSettings), errors);
        }

        return settings;
    }

    /// <summary>The ports this process listens on in its role: only these must not collide.</summary>
    private static IEnumerable<(string Name, int Port)> PortsInUse(PoolSettings settings)
    {
        if (settings.HostsSilo)
        {
            yield return ($"{ClusterSettings.Section}:SiloPort", settings.Cluster.SiloPort);
            yield return ($"{ClusterSettings.Section}:GatewayPort", settings.Cluster.GatewayPort);
        }

        if (settings.ServesApi)
        {
            yield return ($"{ApiHostOptions.Section}:GrpcPort", settings.Api.GrpcPort);
        }

        yield return ($"{ApiHostOptions.Section}:HttpPort", settings.Api.HttpPort);
    }
}
