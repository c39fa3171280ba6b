using Orleans.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Pool.Grains.Persistence;

namespace Pool.Silo.Hosting;

/// <summary>The Orleans side of a Pool silo, shared by the host and the test clusters.</summary>
public static class SiloConfiguration
{
    internal const string Invariant = "Npgsql";

    /// <summary>
    /// Clustering and reminders on PostgreSQL through the ADO.NET providers; grain state through
    /// <see cref="PoolGrainStorage"/> (group-committed writes). Grain state is stored with the Orleans binary serializer: state types carry [GenerateSerializer] ids and
    /// aliases, so renaming a class or namespace never orphans stored rows (the default JSON serializer
    /// stores .NET type names). Every grain call passes <see cref="InfrastructureFaultFilter"/>, so a
    /// database or cluster fault reaches its caller as a retryable PoolException, never a driver exception.
    /// </summary>
    public static ISiloBuilder UsePoolStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        // Grain states written by releases before grain_state (migration 0016) are read through the ADO.NET provider.
        silo.AddAdoNetGrainStorage(PoolGrainStorage.LegacyName, optionsBuilder => optionsBuilder.Configure<Serializer>((options, serializer) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // Cleared state leaves no row behind.
            options.DeleteStateOnClear = true;
        }));
        silo.Services.AddGrainStorage(PoolStorage.Name, (services, name) => new PoolGrainStorage(
            name,
            connectionString,
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            services.GetRequiredKeyedService<IGrainStorage>(PoolGrainStorage.LegacyName),
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            services.GetRequiredService<IActivatorProvider>(),
            services.GetRequiredService<ILogger<PoolGrainStorage>>(),
            services.GetRequiredService<Pool.Grains.Audit.PendingAudits>()));
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddIncomingGrainCallFilter<InfrastructureFaultFilter>();
        return silo;
    }
}
