using System.Globalization;
using Microsoft.Extensions.Options;

namespace Pool.Silo.Hosting;

/// <summary>
/// Where and how much Pool traces (section <c>Pool:Telemetry</c>). Tracing is off unless an OTLP endpoint is
/// set here or in the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; off, no span is created at all.
/// </summary>
public sealed class TracingOptions
{
    public const string Section = "Pool:Telemetry";

    /// <summary>The standard OpenTelemetry variable, honoured when <see cref="OtlpEndpoint"/> is empty.</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>Pool:Telemetry:Otlp:Endpoint</c>: the collector's OTLP address (e.g. http://127.0.0.1:4317); empty for no exporter.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>Pool:Telemetry:Otlp:Protocol</c>: "grpc" (default, port 4317) or "http/protobuf" (port 4318; "/v1/traces" is added to an endpoint without a path).</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    /// <summary><c>Pool:Telemetry:SampleRatio</c>: the share of traces started here that are recorded, 0 to 1 (default 1); a trace started by a caller follows the caller's decision.</summary>
    public double SampleRatio { get; init; } = 1.0;

    /// <summary><c>Pool:Telemetry:ServiceName</c>: the resource's service.name (default "pool"; OTEL_SERVICE_NAME wins when set).</summary>
    public string ServiceName { get; init; } = "pool";

    /// <summary>Reads and checks the section; a bad value stops the process at start with the setting named.</summary>
    public static TracingOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var errors = new List<string>();

        Uri? endpoint = null;
        var endpointText = section["Otlp:Endpoint"];
        if (!string.IsNullOrWhiteSpace(endpointText)
            && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            errors.Add($"{Section}:Otlp:Endpoint '{endpointText}' is not an absolute http:// or https:// address");
        }

        var protocol = section["Otlp:Protocol"] is { Length: > 0 } p ? p : "grpc";
        if (protocol is not ("grpc" or "http/protobuf"))
        {
            errors.Add($"{Section}:Otlp:Protocol '{protocol}' is not one of grpc, http/protobuf");
        }

        var ratio = 1.0;
        if (section["SampleRatio"] is { Length: > 0 } ratioText
            && (!double.TryParse(ratioText, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1 || double.IsNaN(ratio)))
        {
            errors.Add($"{Section}:SampleRatio '{ratioText}' is not a number from 0 to 1");
        }

        var serviceName = section["ServiceName"] is { Length: > 0 } name ? name : "pool";
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(TracingOptions), errors);
        }

        return new TracingOptions { OtlpEndpoint = endpoint, OtlpProtocol = protocol, SampleRatio = ratio, ServiceName = serviceName };
    }
}
