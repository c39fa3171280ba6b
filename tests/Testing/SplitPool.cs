namespace Pool.Testing;

/// <summary>
/// Pool deployed as separate processes, hosted side by side in this one: a silo-role host and an
/// api-role host (an Orleans client of the silo) on the same database and cluster ids.
/// </summary>
public sealed class SplitPool : IAsyncDisposable
{
    private SplitPool(PoolProcess silo, PoolProcess api)
    {
        Silo = silo;
        Api = api;
    }

    /// <summary>Role silo: grains, dashboard and health; no gRPC API.</summary>
    public PoolProcess Silo { get; }

    /// <summary>Role api: the gRPC API and health, reaching the silo through its gateway.</summary>
    public PoolProcess Api { get; }

    /// <summary>Starts the silo, waits until it is ready, then starts the API process and waits until it is connected.</summary>
    public static async Task<SplitPool> StartAsync(TestDatabase database, string serviceId, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var silo = await StartRoleAsync(database, serviceId, "silo", settings);
        try
        {
            return new SplitPool(silo, await StartRoleAsync(database, serviceId, "api", settings));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>One more Pool host in this process with the given Pool:Role, on the same database and cluster ids.</summary>
    public static Task<PoolProcess> StartRoleAsync(TestDatabase database, string serviceId, string role, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var withRole = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Pool:Role"] = role };
        return PoolProcess.StartAsync(database, serviceId, settings: withRole);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Silo.DisposeAsync();
    }
}
