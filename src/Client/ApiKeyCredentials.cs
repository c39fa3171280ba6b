using Grpc.Core;

namespace Pool.Client;

/// <summary>
/// Puts <c>authorization: Bearer &lt;key&gt;</c> on every call (and every retry attempt) as gRPC call credentials, so that
/// the key is part of the channel, never of a request or a log line.
/// </summary>
internal static class ApiKeyCredentials
{
    public const string Header = "authorization";

    /// <summary>The channel credentials for <paramref name="address"/>: TLS for https://, cleartext for http://, with the key on every call.</summary>
    public static ChannelCredentials For(Uri address, string apiKey)
    {
        var value = "Bearer " + apiKey;
        var perCall = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add(Header, value);
            return Task.CompletedTask;
        });
        var transport = address.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        return ChannelCredentials.Create(transport, perCall);
    }

    /// <summary>A key goes in an HTTP/2 header: visible ASCII only. The message names the setting, never the key.</summary>
    public static void Check(string apiKey)
    {
        if (apiKey.Length == 0 || !apiKey.All(c => c is > ' ' and <= '~'))
        {
            throw new ArgumentException(
                "PoolClientOptions.ApiKey is not a key: it is empty or holds spaces or characters other than printable ASCII", nameof(apiKey));
        }
    }
}
