using Orleans.Dashboard;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans.Configuration;
using Pool.Api;
using Pool.Grains;
using Pool.Silo.Configuration;

namespace Pool.Silo.Hosting;

/// <summary>Builds the Pool process: a silo, and by default the gRPC API, dashboard and health endpoints beside it.</summary>
public static class PoolHost
{
    /// <param name="args">Command-line arguments; "--Pool:Api:GrpcPort=7500" style settings override configuration.</param>
    /// <param name="customize">Adjusts the builder before settings are read (tests add configuration and log capture).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);
        var settings = PoolSettings.Load(builder.Configuration);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = settings.Api.ParsedAddress;
            kestrel.Listen(address, settings.Api.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
            if (settings.Api.Enabled)
            {
                // gRPC in cleartext needs an HTTP/2-only endpoint of its own.
                kestrel.Listen(address, settings.Api.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.Cluster.ClusterId;
                options.ServiceId = settings.Cluster.ServiceId;
            });
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

        builder.Services.AddPoolGrains(settings.Database.ConnectionString);
        builder.Services.AddSingleton(settings);
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);
        if (settings.Database.MigrateOnStart)
        {
            builder.Services.AddHostedService<MigrateOnStartService>();
        }

        if (settings.Api.Enabled)
        {
            builder.Services.AddPoolApi();
        }

        var app = builder.Build();
        if (settings.Api.Enabled)
        {
            app.MapPoolApi();
        }

        if (settings.Api.Dashboard)
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard");
        }

        app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapGet("/", () => Results.Redirect("/dashboard"));
        return app;
    }
}
