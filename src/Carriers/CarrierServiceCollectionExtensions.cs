using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pool.Carriers.Http;
using Pool.Carriers.Simulator;
using Pool.Carriers.Smpp;
using Pool.Contracts.Routes;
using Pool.Contracts.Simulator;

namespace Pool.Carriers;

/// <summary>How a host takes on the carrier side.</summary>
public static class CarrierServiceCollectionExtensions
{
    /// <summary>
    /// The signed HTTP ingress for carriers (POST /carriers/{carrier}/messages and /receipts; map it with
    /// <see cref="CarrierIngress.MapCarrierIngress"/>): section Pool:Carriers names each carrier and its secret.
    /// </summary>
    public static IServiceCollection AddCarrierIngress(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var carriers = services.AddOptions<CarrierIngressOptions>();
        if (configuration is not null)
        {
            carriers.Configure(options =>
            {
                foreach (var carrier in configuration.GetSection(CarrierIngressOptions.Section).GetChildren())
                {
                    options.Carriers[carrier.Key] = new CarrierOptions { Secret = carrier["Secret"] ?? "" };
                }
            });
        }

        services.TryAddSingleton<ReplayGuard>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// A silo's carrier connections: SMPP binds (Pool:Smpp:Connections), HTTP carriers
    /// (Pool:Http:Connections), the intake that stores what they deliver, the outbound gateway, and — with
    /// Pool:Simulator:Enabled — the embedded simulator, whose HTTP carriers post to and are served at
    /// <paramref name="poolBaseAddress"/> (map them with <see cref="MapCarrierSimulator"/>).
    /// </summary>
    public static IServiceCollection AddCarrierConnections(this IServiceCollection services, IConfiguration configuration, Uri poolBaseAddress)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<SmppConnectionsOptions>(configuration.GetSection(SmppConnectionsOptions.Section));
        services.Configure<HttpCarriersOptions>(configuration.GetSection(HttpCarrierOptions.Section));
        services.Configure<SimulatorOptions>(configuration.GetSection(SimulatorOptions.Section));
        if (configuration.GetValue<bool>($"{SimulatorOptions.Section}:Enabled"))
        {
            // Registered before the binds: hosted services start in order, and the binds connect to its SMSCs.
            services.AddSingleton<EmbeddedSimulator>();
            services.AddSingleton<IEmbeddedSimulator>(provider => provider.GetRequiredService<EmbeddedSimulator>());
            services.AddHostedService(provider => provider.GetRequiredService<EmbeddedSimulator>());
            services.PostConfigure<SimulatorOptions>(options => options.PoolBaseAddress = poolBaseAddress);

            // Each simulated HTTP carrier signs with a secret made now: Pool's carrier ingress must know it too.
            var simulated = configuration.GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();
            foreach (var route in simulated.EffectiveHttpRoutes.Keys)
            {
                var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                services.PostConfigure<SimulatorOptions>(options => options.HttpSecrets[route] = secret);
                services.PostConfigure<CarrierIngressOptions>(options => options.Carriers[route] = new CarrierOptions { Secret = secret });
            }
        }

        services.AddSingleton<CarrierIntake>();
        services.AddSingleton<HttpCarriers>();
        services.AddHostedService(provider => provider.GetRequiredService<HttpCarriers>());
        services.AddSingleton<SmppBinds>();
        services.AddHostedService(provider => provider.GetRequiredService<SmppBinds>());
        services.AddSingleton<IOutboundGateway, OutboundGateway>();
        return services;
    }

    /// <summary>POST /simulator/{route}/sms: the embedded simulator's HTTP carriers, when it runs in this process.</summary>
    public static IEndpointRouteBuilder MapCarrierSimulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<EmbeddedSimulator>() is not null)
        {
            endpoints.MapPost("/simulator/{route}/sms", (string route, HttpRequest request, EmbeddedSimulator simulator, CancellationToken cancellationToken) =>
                simulator.SubmitToHttpCarrierAsync(route, request, cancellationToken));
        }

        return endpoints;
    }
}
