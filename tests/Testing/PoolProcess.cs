using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Pool.Silo.Database;
using Pool.Silo.Hosting;

namespace Pool.Testing;

/// <summary>
/// The real Pool host (silo + gRPC API + dashboard) started in this process on free ports against a
/// test database, exactly as scripts/run.sh starts it but for the settings.
/// </summary>
public sealed class PoolProcess : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PoolProcess(WebApplication app, string grpcAddress, string httpAddress, LogCapture logs, string adminKey)
    {
        _app = app;
        GrpcAddress = grpcAddress;
        HttpAddress = httpAddress;
        Logs = logs;
        AdminKey = adminKey;
    }

    /// <summary>An admin-scope API key (tenant "operators") valid on this Pool.</summary>
    public string AdminKey { get; }

    public string GrpcAddress { get; }

    public string HttpAddress { get; }

    public LogCapture Logs { get; }

    public static async Task<PoolProcess> StartAsync(TestDatabase database, string serviceId, LogCapture? logs = null)
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
                ["Pool:Cluster:SiloPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Pool:Cluster:GatewayPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Pool:Api:GrpcPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Pool:Api:HttpPort"] = ports[3].ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        var adminKey = await AdminKeys.CreateAsync(database.ConnectionString, "tests");
        var process = new PoolProcess(app, $"http://127.0.0.1:{ports[2]}", $"http://127.0.0.1:{ports[3]}", logs, adminKey);

        using var http = new HttpClient { BaseAddress = new Uri(process.HttpAddress) };
        await Eventually.ReturnsAsync(
            async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode,
            status => status == System.Net.HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "the silo to report ready on /readyz");
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
