using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Pool.Grains.Inventory;

namespace Pool.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Registers what the grains need besides Orleans: the inventory on <paramref name="connectionString"/> and the clock.</summary>
    public static IServiceCollection AddPoolGrains(this IServiceCollection services, string connectionString)
    {
        services.TryAddKeyedSingleton(PoolClock.Key, TimeProvider.System);
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<NumberInventory>();
        services.AddSingleton<PoolCatalog>();
        services.AddSingleton<Tenants.TenantStore>();
        services.AddSingleton<Inbound.MessageStore>();
        services.AddOptions<Inbound.InboundOptions>();
        services.AddOptions<Webhooks.WebhookOptions>();
        services.AddSingleton<Webhooks.WebhookStore>();
        services.AddSingleton<Webhooks.WebhookSender>();
        services.AddSingleton<Webhooks.WebhookOutboxSignal>();
        services.AddHostedService<Webhooks.WebhookDispatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Inbound.InboundMaintenanceStarter>();
        services.AddSingleton<ProjectionJournal>();
        services.AddHostedService<ProjectionWriter>();
        return services;
    }
}
