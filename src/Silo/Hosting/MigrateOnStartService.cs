using Pool.Silo.Configuration;
using Pool.Silo.Database;

namespace Pool.Silo.Hosting;

/// <summary>Applies pending migrations before the silo starts (Pool:Database:MigrateOnStart).</summary>
public sealed class MigrateOnStartService(PoolSettings settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        new SchemaMigrator(settings.Database.ConnectionString).MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
