using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pool.Silo.Configuration;
using Pool.Silo.Database;
using Pool.Silo.Hosting;

namespace Pool.Testing;

/// <summary>
/// The real Pool host (by default silo + gRPC API + dashboard) started in this process on free ports
/// against a test database, exactly as scripts/run.sh starts it but for the settings.
/// </summary>
public sealed class PoolProcess : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private PoolProcess(WebApplication app, string grpcAddress, string httpAddress, LogCapture logs)
    {
        _app = app;
        GrpcAddress = grpcAddress;
        HttpAddress = httpAddress;
        Logs = logs;
    }

    /// <summary>An admin API key (tenant "operators") valid on this Pool.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>The gRPC endpoint (https:// when a certificate is configured); not listened on in role silo.</summary>
    public string GrpcAddress { get; }

    /// <summary>The dashboard and health endpoint (https:// when a certificate is configured).</summary>
    public string HttpAddress { get; }

    public LogCapture Logs { get; }

    /// <summary>The host's services, to check what a role registers.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The certificate the endpoints present, or null for cleartext.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate =>
        _app.Services.GetRequiredService<PoolSettings>().Api.Tls.Certificate;

    /// <param name="settings">Extra settings ("Pool:Role", "Pool:Api:Tls:CertificatePath", …) over the test defaults.</param>
    /// <param name="customize">Adjusts the builder after the test settings (a test adds a trace exporter).</param>
    public static async Task<PoolProcess> StartAsync(
        TestDatabase database, string serviceId, LogCapture? logs = null, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? customize = null)
    {
        logs ??= new LogCapture();
        var ports = FreePorts.Take(4);
        var app = PoolHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Pool:Database:ConnectionString"] = database.ConnectionString,
                ["Pool:Cluster:ClusterId"] = serviceId,
                ["Pool:Cluster:ServiceId"] = serviceId,
                ["Pool:Cluster:SiloPort"] = ports[0].ToString(CultureInfo.InvariantCulture),
                ["Pool:Cluster:GatewayPort"] = ports[1].ToString(CultureInfo.InvariantCulture),
                ["Pool:Api:GrpcPort"] = ports[2].ToString(CultureInfo.InvariantCulture),
                ["Pool:Api:HttpPort"] = ports[3].ToString(CultureInfo.InvariantCulture),
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
            customize?.Invoke(builder);
        });
        var scheme = app.Services.GetRequiredService<PoolSettings>().Api.Tls.Certificate is null ? "http" : "https";
        var process = new PoolProcess(app, $"{scheme}://127.0.0.1:{ports[2]}", $"{scheme}://127.0.0.1:{ports[3]}", logs);
        try
        {
            using (var starting = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                await app.StartAsync(starting.Token);
            }

            using var http = process.CreateHttpClient();
            await Eventually.ReturnsAsync(
                async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode,
                status => status == System.Net.HttpStatusCode.OK,
                TimeSpan.FromSeconds(60),
                "the process to report ready on /readyz");
            process.AdminKey = await AdminKeys.CreateAsync(database.ConnectionString, "tests");
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client for <see cref="HttpAddress"/> that trusts exactly this Pool's certificate, if it has one.</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = Certificate is { } certificate ? TestCertificate.Trusting(certificate) : new HttpClientHandler();
        return new HttpClient(handler) { BaseAddress = new Uri(HttpAddress) };
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
