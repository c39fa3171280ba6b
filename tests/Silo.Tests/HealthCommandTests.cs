using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Pool.Silo.Hosting;
using Pool.Testing;

namespace Pool.Silo.Tests;

/// <summary>`pool-silo health`: the container health check of images without curl or wget.</summary>
public sealed class HealthCommandTests
{
    /// <summary>A stand-in for Pool's HTTP endpoint: /readyz 200, /down 503, /slow answers after 20 s.</summary>
    private sealed class Endpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Endpoint(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<Endpoint> StartAsync(TestCertificate? certificate = null)
        {
            var port = FreePorts.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate.Certificate);
                }
            }));
            var app = builder.Build();
            app.MapGet("/readyz", () => Results.Text("Healthy"));
            app.MapGet("/down", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
            app.MapGet("/slow", async (CancellationToken aborted) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(20), aborted);
                return Results.Text("late");
            });
            await app.StartAsync();
            return new Endpoint(app, port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params (string Key, string Value)[] settings)
    {
        // "url" is the command line's --url; everything else is configuration (environment, appsettings).
        string[] arguments = [.. settings.Where(s => s.Key == "url").SelectMany(s => new[] { "--url", s.Value })];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(s => s.Key != "url").Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await HealthCommand.RunAsync(arguments, configuration, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string Port(Endpoint endpoint) => endpoint.Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_200_from_readyz_exits_0_and_says_healthy()
    {
        await using var endpoint = await Endpoint.StartAsync();

        var (exit, output, _) = await RunAsync(("url", $"http://127.0.0.1:{Port(endpoint)}/readyz"));

        Assert.Equal(0, exit);
        Assert.StartsWith("healthy: 200 OK from http://127.0.0.1:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_url_it_probes_readyz_on_the_configured_http_port()
    {
        await using var endpoint = await Endpoint.StartAsync();

        var (exit, output, _) = await RunAsync(("Pool:Api:HttpPort", Port(endpoint)));

        Assert.Equal(0, exit);
        Assert.Contains($"http://127.0.0.1:{Port(endpoint)}/readyz", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_setting_from_the_environment_is_ignored_and_the_equals_form_of_the_option_is_read()
    {
        await using var endpoint = await Endpoint.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["url"] = "http://127.0.0.1:1/readyz", ["Pool:Api:HttpPort"] = "1" })
            .Build();
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        var exit = await HealthCommand.RunAsync([$"--url=http://127.0.0.1:{Port(endpoint)}/readyz"], configuration, output, error);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains($"http://127.0.0.1:{Port(endpoint)}/readyz", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_url_is_readyz_on_port_7401_and_https_when_a_certificate_is_configured()
    {
        var plain = new ConfigurationBuilder().Build();
        var tls = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pool:Api:Tls:CertificatePath"] = "/certs/pool.pfx" }).Build();

        Assert.Equal(new Uri("http://127.0.0.1:7401/readyz"), HealthCommand.DefaultUrl(plain));
        Assert.Equal(new Uri("https://127.0.0.1:7401/readyz"), HealthCommand.DefaultUrl(tls));
    }

    [Fact]
    public async Task A_503_exits_1_and_names_the_status()
    {
        await using var endpoint = await Endpoint.StartAsync();

        var (exit, output, error) = await RunAsync(("url", $"http://127.0.0.1:{Port(endpoint)}/down"));

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("unhealthy: 503 ServiceUnavailable from", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_exits_1()
    {
        var (exit, _, error) = await RunAsync(("url", $"http://127.0.0.1:{FreePorts.Next().ToString(CultureInfo.InvariantCulture)}/readyz"));

        Assert.Equal(1, exit);
        Assert.Contains("could not be reached (ConnectionError)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_within_3_seconds_exits_1_after_about_3_seconds()
    {
        await using var endpoint = await Endpoint.StartAsync();
        var clock = Stopwatch.StartNew();

        var (exit, _, error) = await RunAsync(("url", $"http://127.0.0.1:{Port(endpoint)}/slow"));

        Assert.Equal(1, exit);
        Assert.Contains("no answer from", error, StringComparison.Ordinal);
        Assert.Contains("within 3 s", error, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("127.0.0.1:7401/readyz")]
    [InlineData("/readyz")]
    [InlineData("ftp://127.0.0.1/readyz")]
    public async Task A_url_that_is_not_absolute_http_exits_1_naming_the_url_option(string url)
    {
        var (exit, _, error) = await RunAsync(("url", url));

        Assert.Equal(1, exit);
        Assert.Contains($"--url '{url}' is not an absolute http:// or https:// URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_https_the_process_own_configured_certificate_is_trusted()
    {
        using var certificate = TestCertificate.Create();
        await using var endpoint = await Endpoint.StartAsync(certificate);

        var (exit, output, error) = await RunAsync(
            ("Pool:Api:HttpPort", Port(endpoint)),
            ("Pool:Api:Tls:CertificatePath", certificate.PfxPath),
            ("Pool:Api:Tls:CertificatePassword", certificate.Password));

        Assert.True(exit == 0, error);
        Assert.StartsWith($"healthy: 200 OK from https://127.0.0.1:{Port(endpoint)}/readyz", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_https_a_certificate_that_is_neither_valid_nor_the_configured_one_exits_1()
    {
        using var served = TestCertificate.Create();
        using var configured = TestCertificate.Create();
        await using var endpoint = await Endpoint.StartAsync(served);

        var (exit, _, error) = await RunAsync(
            ("Pool:Api:HttpPort", Port(endpoint)),
            ("Pool:Api:Tls:CertificatePath", configured.PfxPath),
            ("Pool:Api:Tls:CertificatePassword", configured.Password));

        Assert.Equal(1, exit);
        Assert.Contains("could not be reached", error, StringComparison.Ordinal);
    }
}
