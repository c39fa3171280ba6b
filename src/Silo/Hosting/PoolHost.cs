using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Pool.Contracts.Routes;
using Pool.Api;
using Pool.Grains;
using Pool.Grains.Routes;
using Pool.Carriers;
using Pool.Silo.Configuration;

namespace Pool.Silo.Hosting;

/// <summary>
/// Builds the Pool process for its Pool:Role: "all" (a silo with the gRPC API, dashboard and health
/// beside it), "silo" (no gRPC API) or "api" (the gRPC API as an Orleans client of the silos).
/// </summary>
public static class PoolHost
{
    /// <param name="args">Command-line arguments; "--Pool:Api:GrpcPort=7500" style settings override configuration.</param>
    /// <param name="customize">Adjusts the builder before settings are read (tests add configuration and log capture).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        // Settings files live beside the binary, wherever the process is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Every console log line goes through Pool's formatter, which masks phone numbers whoever logged them.
        builder.Logging.AddConsole(options => options.FormatterName = RedactingConsoleFormatter.Name)
            .AddConsoleFormatter<RedactingConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        customize?.Invoke(builder);
        var settings = PoolSettings.Load(builder.Configuration);

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForPool(settings));
        builder.Services.AddSingleton(settings);
        if (settings.HostsSilo)
        {
            AddSilo(builder, settings);
        }
        else
        {
            AddClusterClient(builder, settings);
        }

        if (settings.ServesApi)
        {
            builder.Services.AddPoolApi(builder.Configuration);
        }
        else
        {
            // The dashboard's sign-in checks admin keys even where the gRPC API is not served.
            builder.Services.AddSingleton<Pool.Api.Auth.ApiKeyAuthenticator>();
            builder.Services.TryAddSingleton(TimeProvider.System);
        }

        builder.Services.AddPoolMetrics(settings);

        builder.AddPoolTracing(settings);

        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (settings.HostsSilo)
        {
            app.MapCarrierSimulator();
        }

        if (settings.ServesApi)
        {
            app.MapPoolApi();
        }

        var dashboard = settings.HostsSilo && settings.Api.Dashboard;
        if (dashboard)
        {
            app.UseDashboardAccess();
            app.MapOrleansDashboard(routePrefix: DashboardAccess.PathPrefix);
            app.MapGet("/", () => Results.Redirect("/dashboard"));
        }

        app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    /// <summary>Roles all and silo: the silo on PostgreSQL, its grains and their services.</summary>
    private static void AddSilo(WebApplicationBuilder builder, PoolSettings settings)
    {
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.Cluster.ClusterId;
                options.ServiceId = settings.Cluster.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(settings.Cluster.Membership.ApplyTo);
            silo.ConfigureEndpoints(settings.Cluster.ParsedAddress, settings.Cluster.SiloPort, settings.Cluster.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(settings.Cluster.ParsedAddress));
            silo.UsePoolStorage(settings.Database.ConnectionString);
            if (settings.Cluster.Kubernetes)
            {
                silo.UseKubernetesHosting();
            }

            if (settings.Api.Dashboard)
            {
                silo.AddDashboard();
            }
        });

        // Carrier connections first: they are the silo's outbound gateway (AddPoolGrains only adds a fallback).
        var self = new Uri($"{(settings.Api.Tls.Certificate is null ? "http" : "https")}://127.0.0.1:{settings.Api.HttpPort}/");
        builder.Services.AddCarrierConnections(builder.Configuration, self);
        if (!settings.ServesApi)
        {
            builder.Services.AddCarrierIngress(builder.Configuration);
        }

        builder.Services.AddPoolGrains(settings.Database.ConnectionString);
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);
        if (settings.Database.MigrateOnStart)
        {
            builder.Services.AddHostedService<MigrateOnStartService>();
        }
    }

    /// <summary>Role api: no silo, no grains, no grain storage; the cluster client provides IGrainFactory.</summary>
    private static void AddClusterClient(WebApplicationBuilder builder, PoolSettings settings)
    {
        var connection = new ClusterConnection();
        builder.Services.AddSingleton(connection);
        builder.UseOrleansClient(client => client.UsePoolCluster(settings, connection));
        builder.Services.AddHealthChecks().AddCheck<ClusterClientHealthCheck>("cluster-client", tags: ["ready"]);
    }
}
