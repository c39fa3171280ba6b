using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Pool.Silo.Configuration;

namespace Pool.Silo.Hosting;

/// <summary>
/// <c>pool-silo health [--url URL]</c>: asks a running Pool whether it is ready, for container
/// health checks on images that carry no curl or wget (the .NET runtime images).
/// </summary>
/// <remarks>
/// Exit codes follow Docker's HEALTHCHECK contract: 0 when the endpoint answers 200 within
/// <see cref="Timeout"/>, 1 otherwise (any other status, connection refused, timeout, or a URL that is
/// not an absolute http/https URL). Docker reserves 2, so it is never returned. Without <c>--url</c>
/// the URL is <c>http://127.0.0.1:{Pool:Api:HttpPort}/readyz</c> (https when Pool:Api:Tls:CertificatePath
/// is set), read from the same configuration the process reads: appsettings.json, environment
/// variables (<c>Pool__Api__HttpPort</c>), then the command line. Over https the server certificate
/// must be valid for the URL as usual, or be exactly the certificate Pool:Api:Tls configures (the
/// process's own, which is what 127.0.0.1 presents).
/// </remarks>
public static class HealthCommand
{
    /// <summary>The command-line option naming the URL to probe ("--url http://…" or "--url=http://…").</summary>
    public const string UrlOption = "--url";

    /// <summary>How long the probe waits for the whole answer: 3 seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>The readiness URL of this process's own HTTP endpoint, from its configuration.</summary>
    public static Uri DefaultUrl(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var api = configuration.GetSection(ApiHostOptions.Section).Get<ApiHostOptions>() ?? new();
        var scheme = string.IsNullOrWhiteSpace(api.Tls.CertificatePath) ? "http" : "https";
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{api.HttpPort}/readyz"));
    }

    /// <summary>Probes the URL given as <c>--url</c> (or <see cref="DefaultUrl"/>) and prints one line saying what it saw.</summary>
    /// <param name="arguments">The arguments after "health": <c>--url</c> is read from here only (never from an environment variable).</param>
    /// <param name="configuration">The process's configuration, for <see cref="DefaultUrl"/> and the certificate.</param>
    /// <returns>0 when the endpoint answered 200 within <see cref="Timeout"/>, 1 otherwise.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        Uri url;
        var given = UrlArgument(arguments);
        if (given is null)
        {
            url = DefaultUrl(configuration);
        }
        else if (!Uri.TryCreate(given, UriKind.Absolute, out url!) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            var shown = given.Length > 200 ? given[..200] + "…" : given;
            await error.WriteLineAsync($"unhealthy: {UrlOption} '{shown}' is not an absolute http:// or https:// URL (e.g. http://127.0.0.1:7401/readyz)");
            return 1;
        }

        var tls = configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new();
        var own = tls.LoadCertificate().Count == 0 ? tls.Certificate : null;
        var (healthy, line) = await ProbeAsync(url, Timeout, own);
        await (healthy ? output : error).WriteLineAsync(line);
        return healthy ? 0 : 1;
    }

    private static string? UrlArgument(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == UrlOption)
            {
                return i + 1 < arguments.Count ? arguments[i + 1] : "";
            }

            if (arguments[i].StartsWith(UrlOption + "=", StringComparison.Ordinal))
            {
                return arguments[i][(UrlOption.Length + 1)..];
            }
        }

        return null;
    }

    /// <summary>One GET of <paramref name="url"/>; healthy only on 200 within <paramref name="timeout"/>.</summary>
    /// <param name="trusted">Over https, a certificate accepted as is (the process's own), or null for the usual validation only.</param>
    /// <returns>Whether it was healthy, and a one-line account naming the URL and the status or the failure.</returns>
    public static async Task<(bool Healthy, string Line)> ProbeAsync(Uri url, TimeSpan timeout, X509Certificate2? trusted = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var handler = new SocketsHttpHandler { ConnectTimeout = timeout, UseProxy = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
            errors == SslPolicyErrors.None || (trusted is not null && presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(trusted.RawData));

        using var http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = $"{(int)response.StatusCode} {response.StatusCode}";
            return response.StatusCode == HttpStatusCode.OK
                ? (true, $"healthy: {status} from {url}")
                : (false, $"unhealthy: {status} from {url}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return (false, string.Create(CultureInfo.InvariantCulture, $"unhealthy: no answer from {url} within {timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : ex.HttpRequestError.ToString();
            return (false, $"unhealthy: {url} could not be reached ({reason})");
        }
    }
}
