using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Pool.Testing;

/// <summary>Calls that carry an API key, as every pool.v1 client must.</summary>
public static class Authorized
{
    public static CallInvoker With(ChannelBase channel, string apiKey) =>
        channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {apiKey}");
            return metadata;
        });
}
