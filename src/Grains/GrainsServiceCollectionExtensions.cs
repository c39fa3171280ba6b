using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Pool.Contracts.Routes;
using Pool.Grains.Inventory;
using Pool.Grains.Routes;
using Pool.Grains.Verification;

namespace Pool.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Registers what the grains need besides Orleans: the inventory on <paramref name="connectionString"/> and the clock.</summary>
    public static IServiceCollection AddPoolGrains(this IServiceCollection services, string connectionString)
    {
        services.TryAddKeyedSingleton(PoolClock.Key, TimeProvider.System);
        // Named, so the connection string (and any password in it) never becomes a metric label or span tag.
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "pool" }.Build());
        services.AddSingleton<NumberInventory>();
        services.AddSingleton<Operations.OperationsStore>();
        services.AddSingleton<PoolCatalog>();
        services.AddSingleton<Tenants.TenantStore>();
        services.AddSingleton<Inbound.MessageStore>();
        services.AddSingleton(provider => new Inbound.InboundTraces(provider.GetRequiredKeyedService<TimeProvider>(PoolClock.Key)));
        services.AddOptions<Inbound.InboundOptions>().BindConfiguration(Inbound.InboundOptions.Section);
        services.AddOptions<Webhooks.WebhookOptions>().BindConfiguration(Webhooks.WebhookOptions.Section);
        services.AddSingleton<Webhooks.WebhookStore>();
        services.AddSingleton<Webhooks.WebhookSender>();
        services.AddSingleton<Webhooks.WebhookOutboxSignal>();
        services.AddHostedService<Webhooks.WebhookDispatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Inbound.InboundMaintenanceStarter>();
        services.AddSingleton<ProjectionJournal>();
        services.AddSingleton<ProjectionWriter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ProjectionWriter>());
        services.AddSingleton<ProjectionReconciler>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ProjectionReconciler>());
        services.AddPoolRoutes();
        services.AddPoolVerification();
        services.AddPoolAudit();
        return services;
    }

    /// <summary>The audit log: its retention options ("Pool:Audit", validated at start), store, and the rows grains hold for their next state write.</summary>
    public static IServiceCollection AddPoolAudit(this IServiceCollection services)
    {
        services.AddValidatedOptions<Audit.AuditOptions>(Audit.AuditOptions.Section, o => o.Validate());
        services.AddSingleton<Audit.AuditStore>();
        services.TryAddSingleton<Audit.PendingAudits>();
        return services;
    }

    /// <summary>Outbound verification: its options ("Pool:Verification", validated at start), keys and store.</summary>
    public static IServiceCollection AddPoolVerification(this IServiceCollection services)
    {
        services.AddValidatedOptions<VerificationOptions>(VerificationOptions.Section, o => o.Validate());
        services.AddSingleton<VerificationCrypto>();
        services.AddSingleton<VerificationStore>();
        services.AddSingleton<Privacy.ErasureStore>();
        return services;
    }

    /// <summary>
    /// Routes: their options ("Pool:Routes", "Pool:Routes:Health", validated at start), the silo's route
    /// cache, stores and metrics, the owner sweep's start, and the outbound gateway. A host with carrier connections registers its
    /// own <see cref="IOutboundGateway"/> (before or after this call); without one every submit fails.
    /// </summary>
    public static IServiceCollection AddPoolRoutes(this IServiceCollection services)
    {
        services.AddValidatedOptions<RouteSelectionOptions>(RouteSelectionOptions.Section, o => o.Validate());
        services.AddValidatedOptions<RouteHealthOptions>(RouteHealthOptions.Section, o => o.Validate());
        services.AddSingleton<RouteCache>();
        services.AddSingleton<RouteStore>();
        services.AddSingleton<OutboundStore>();
        services.AddSingleton<RouteMetrics>();
        services.TryAddSingleton<IOutboundGateway, UnconfiguredOutboundGateway>();
        return services;
    }

    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>; a process whose settings fail <paramref name="problems"/> refuses to start, every problem named.</summary>
    private static void AddValidatedOptions<T>(this IServiceCollection services, string section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(problems));
    }

    private sealed class SettingsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
