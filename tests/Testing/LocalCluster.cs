using System.Globalization;

namespace Pool.Testing;

/// <summary>
/// Several pool-silo processes (role all: silo and gRPC API) forming one Orleans cluster on one database,
/// each on loopback ports of its own — what scripts/cluster.sh runs, as child processes a test can kill,
/// stop and restart one at a time. Cluster and service ids are the database's name.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    private LocalCluster(TestDatabase database, IReadOnlyList<ClusterMember> members, string logDirectory)
    {
        Database = database;
        Members = members;
        LogDirectory = logDirectory;
    }

    public TestDatabase Database { get; }

    public IReadOnlyList<ClusterMember> Members { get; }

    /// <summary>Where each member's console output is kept (silo-0.log, silo-1.log, …).</summary>
    public string LogDirectory { get; }

    /// <summary>An admin API key valid on the cluster's database.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>Starts <paramref name="size"/> silos and waits until each is active: the first alone, the others together.</summary>
    /// <param name="settings">More settings for every silo, as configuration keys and values.</param>
    public static async Task<LocalCluster> StartAsync(TestDatabase database, int size, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var logDirectory = Path.Combine(Path.GetTempPath(), $"pool-cluster-{Guid.NewGuid():n}"[..26]);
        Directory.CreateDirectory(logDirectory);
        var ports = FreePorts.Take(4 * size);
        var members = new List<ClusterMember>();
        for (var i = 0; i < size; i++)
        {
            var own = ports[(4 * i)..(4 * i + 4)];
            string[] arguments =
            [
                Path.Combine(AppContext.BaseDirectory, "pool-silo.dll"),
                $"--Pool:Database:ConnectionString={database.ConnectionString}",
                $"--Pool:Cluster:ClusterId={database.Name}",
                $"--Pool:Cluster:ServiceId={database.Name}",
                $"--Pool:Cluster:SiloPort={Show(own[0])}",
                $"--Pool:Cluster:GatewayPort={Show(own[1])}",
                $"--Pool:Api:GrpcPort={Show(own[2])}",
                $"--Pool:Api:HttpPort={Show(own[3])}",
                "--Pool:Api:Dashboard=false",
                .. (settings ?? new Dictionary<string, string>()).Select(setting => $"--{setting.Key}={setting.Value}"),
            ];
            members.Add(new ClusterMember(i, own, arguments, Path.Combine(logDirectory, $"silo-{Show(i)}.log")));
        }

        var cluster = new LocalCluster(database, members, logDirectory);
        try
        {
            await members[0].StartAsync();
            await Task.WhenAll(members.Skip(1).Select(member => member.StartAsync()));
            cluster.AdminKey = await Silo.Database.AdminKeys.CreateAsync(database.ConnectionString, "resilience");
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        return cluster;
    }

    public void Dispose()
    {
        foreach (var member in Members)
        {
            member.Dispose();
        }
    }

    private static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);
}
