using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry.Metrics;
using Pool.Carriers;
using Pool.Carriers.Smpp;
using Pool.Grains.Inbound;
using Pool.Grains.Leases;
using Pool.Grains.Operations;
using Pool.Grains.Routes;
using Pool.Grains.Verification;
using Pool.Silo.Configuration;
using Pool.Silo.Operations;

namespace Pool.Silo.Hosting;

/// <summary>
/// Metrics for Prometheus at /metrics: Pool's own meters (leases, inventory gauges, inbound and code
/// extraction, webhooks, streams, verifications, routes, carriers, SMPP binds), Orleans', ASP.NET
/// Core's (Kestrel, HTTP server, gRPC server), Npgsql's and the .NET runtime's. The README's
/// "Metrics" section lists the exported names.
/// </summary>
public static class PoolMetrics
{
    /// <summary>Meters of Pool's own code, by name.</summary>
    public static readonly IReadOnlyList<string> PoolMeters =
    [
        LeaseMetrics.MeterName, InventoryGauges.MeterName, InboundMetrics.MeterName, Api.Metrics.StreamMetrics.MeterName,
        VerificationMetrics.MeterName, RouteMetrics.MeterName, CarrierMetrics.MeterName, SmppMetrics.MeterName,
    ];

    /// <summary>Bucket bounds in seconds of the delivery latency histograms (stream and webhook): 5 ms to 5 min.</summary>
    private static readonly double[] s_latencySeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>The labels kept on Npgsql's metrics.</summary>
    private static readonly string[] s_npgsqlTags = ["db.client.connection.state", "db.client.operation.status", "error.type", "db.operation.name"];

    /// <summary>
    /// Registers the meters and the exporter (map it with <c>MapPrometheusScrapingEndpoint("/metrics")</c>);
    /// in processes with a silo also the database-derived gauges and the SMPP bind reports of `poolctl status`.
    /// </summary>
    public static IServiceCollection AddPoolMetrics(this IServiceCollection services, PoolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.HostsSilo)
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<InventoryGauges>();
            services.AddHostedService(provider => provider.GetRequiredService<InventoryGauges>());
            services.AddHostedService<BindReporter>();
        }

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter([.. PoolMeters, "Microsoft.Orleans", "Grpc.AspNetCore.Server"])
            .AddAspNetCoreInstrumentation()
            .AddNpgsqlInstrumentation()
            .AddRuntimeInstrumentation()
            // Npgsql names a pool by its connection string unless the data source was given a name (Orleans'
            // own providers' pools are not): the pool name never becomes a label.
            .AddView(instrument => instrument.Meter.Name == "Npgsql" ? new MetricStreamConfiguration { TagKeys = s_npgsqlTags } : null)
            .AddView("pool.stream.delivery.latency", new ExplicitBucketHistogramConfiguration { Boundaries = s_latencySeconds })
            .AddView("pool.webhooks.delivery.latency", new ExplicitBucketHistogramConfiguration { Boundaries = s_latencySeconds })
            .AddPrometheusExporter());
        return services;
    }
}
