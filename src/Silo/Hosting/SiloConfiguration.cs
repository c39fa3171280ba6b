using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Pool.Grains.Persistence;

namespace Pool.Silo.Hosting;

/// <summary>The Orleans side of a Pool silo, shared by the host and the test clusters.</summary>
public static class SiloConfiguration
{
    internal const string Invariant = "Npgsql";

    /// <summary>
    /// Clustering, grain storage and reminders on PostgreSQL through the ADO.NET providers. Grain state
    /// is stored with the Orleans binary serializer: state types carry [GenerateSerializer] ids and
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
        silo.AddAdoNetGrainStorage(PoolStorage.Name, optionsBuilder => optionsBuilder.Configure<Serializer>((options, serializer) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // Cleared state leaves no row behind.
            options.DeleteStateOnClear = true;
        }));
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddIncomingGrainCallFilter<InfrastructureFaultFilter>();
        return silo;
    }
}
