using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pool.Silo.Configuration;

namespace Pool.Silo.Hosting;

/// <summary>The process's Kestrel endpoints: HTTP (dashboard, health) and, where the API is served, gRPC.</summary>
internal static class Listeners
{
    public static void ListenForPool(this KestrelServerOptions kestrel, PoolSettings settings)
    {
        var address = settings.Api.ParsedAddress;
        var certificate = settings.Api.Tls.Certificate;
        kestrel.Listen(address, settings.Api.HttpPort, listen =>
        {
            if (certificate is null)
            {
                listen.Protocols = HttpProtocols.Http1;
            }
            else
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            }
        });

        if (settings.ServesApi)
        {
            kestrel.Listen(address, settings.Api.GrpcPort, listen =>
            {
                // HTTP/2 only: in cleartext because gRPC cannot negotiate it otherwise (h2c prior
                // knowledge), over TLS because ALPN then offers gRPC clients nothing else.
                listen.Protocols = HttpProtocols.Http2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        }
    }
}
