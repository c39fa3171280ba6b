using System.Diagnostics;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pool.Contracts.Tracing;
using Pool.Silo.Configuration;

namespace Pool.Silo.Hosting;

/// <summary>
/// OpenTelemetry traces: one trace from a gRPC call (ASP.NET Core server span with rpc.* attributes) through the
/// grain calls (Orleans activity propagation: client and server spans per call) to the PostgreSQL commands
/// (Npgsql), and from a carrier's POST or deliver_sm through Pool's inbound spans (<see cref="PoolActivity"/>)
/// to the stream write or webhook send that hands the message on (<see cref="Grains.Inbound.InboundTraces"/>
/// carries the traceparent across those hand-offs).
///
/// Off by default: only an OTLP endpoint (<see cref="TracingOptions"/>, or OTEL_EXPORTER_OTLP_ENDPOINT) or an
/// exporter added with <see cref="AddExporter"/> turns it on; off, no tracer provider, no propagation filter
/// and no listener exists, so no span is ever created. On, every span passes <see cref="SpanMasking"/>
/// before any exporter sees it.
/// </summary>
public static class PoolTracing
{
    /// <summary>The Orleans sources: grain calls (application and runtime), activation lifecycle, grain storage.</summary>
    public static readonly IReadOnlyList<string> OrleansSources =
    [
        Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName,
        Orleans.Diagnostics.ActivitySources.RuntimeActivitySourceName,
        Orleans.Diagnostics.ActivitySources.LifecycleActivitySourceName,
        Orleans.Diagnostics.ActivitySources.StorageActivitySourceName,
    ];

    /// <summary>
    /// Adds an exporter (a test's in-memory exporter, a console exporter) and so turns tracing on whatever the
    /// settings say. Call it before <see cref="AddPoolTracing"/> (PoolHost.Build's customize runs first); the
    /// exporter is placed after the masking processor.
    /// </summary>
    public static void AddExporter(IServiceCollection services, Action<TracerProviderBuilder> exporter)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(exporter);
        services.AddSingleton(new TraceExporterRegistration(exporter));
    }

    /// <summary>Registers tracing for this process's role when an exporter is configured; otherwise nothing at all.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A Pool:Telemetry setting is invalid (the message names it).</exception>
    public static void AddPoolTracing(this WebApplicationBuilder builder, PoolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        var options = TracingOptions.Load(builder.Configuration);
        var standardEndpoint = builder.Configuration[TracingOptions.StandardEndpointVariable];
        var added = builder.Services.Where(d => d.ServiceType == typeof(TraceExporterRegistration) && d.ImplementationInstance is not null)
            .Select(d => (TraceExporterRegistration)d.ImplementationInstance!)
            .ToList();
        if (options.OtlpEndpoint is null && string.IsNullOrWhiteSpace(standardEndpoint) && added.Count == 0)
        {
            return; // Off: no provider, no listener, no propagation filter; spans are never created.
        }

        if (settings.HostsSilo)
        {
            builder.UseOrleans(silo => silo.AddActivityPropagation());
        }
        else
        {
            builder.UseOrleansClient(client => client.AddActivityPropagation());
        }

        // gRPC server calls get rpc.system, rpc.service, rpc.method and rpc.grpc.status_code (the instrumentation's opt-in).
        builder.Configuration["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION"] ??= "true";
        var instance = settings.HostsSilo
            ? $"{settings.Cluster.AdvertisedAddress}:{settings.Cluster.SiloPort}"
            : $"{settings.Api.ListenAddress}:{settings.Api.GrpcPort}";
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrEmpty(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(options.ServiceName, serviceNamespace: settings.Cluster.ServiceId, serviceInstanceId: instance);
                }

                resource.AddAttributes([new("pool.role", settings.Role.ToString().ToLowerInvariant()), new("pool.cluster_id", settings.Cluster.ClusterId)]);
            })
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new RequestRootSampler(options.SampleRatio)))
                    .AddSource(PoolActivity.SourceName)
                    .AddSource([.. OrleansSources])
                    .AddAspNetCoreInstrumentation(aspNetCore =>
                    {
                        // Scrapes, probes and the dashboard's polling are not requests anyone traces.
                        aspNetCore.Filter = context => !IsHousekeeping(context.Request.Path);
                    })
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddProcessor(new SpanMasking());
                foreach (var exporter in added)
                {
                    exporter.Configure(tracing);
                }

                if (options.OtlpEndpoint is { } endpoint)
                {
                    var http = options.OtlpProtocol == "http/protobuf";
                    tracing.AddOtlpExporter(otlp =>
                    {
                        otlp.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                        otlp.Endpoint = http && endpoint.AbsolutePath == "/" ? new Uri(endpoint, "v1/traces") : endpoint;
                    });
                }
                else if (!string.IsNullOrWhiteSpace(standardEndpoint))
                {
                    tracing.AddOtlpExporter(); // Reads the standard OTEL_EXPORTER_OTLP_* settings itself.
                }
            });
    }

    private static bool IsHousekeeping(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz")
        || path.StartsWithSegments(DashboardAccess.PathPrefix);

    /// <summary>An exporter added by <see cref="AddExporter"/>.</summary>
    private sealed record TraceExporterRegistration(Action<TracerProviderBuilder> Configure);

    /// <summary>
    /// Decides for spans that start a trace: a client span with no parent (a database command or grain call made
    /// by a background loop — the webhook outbox poll, membership, reminders — with no request behind it) is not
    /// recorded, so traces are requests and messages, not polling; every other root is sampled at the ratio.
    /// </summary>
    private sealed class RequestRootSampler(double ratio) : Sampler
    {
        private readonly TraceIdRatioBasedSampler _ratio = new(ratio);

        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            samplingParameters.Kind == ActivityKind.Client && samplingParameters.ParentContext.TraceId == default
                ? new SamplingResult(SamplingDecision.Drop)
                : _ratio.ShouldSample(samplingParameters);
    }
}
