using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Pool.Contracts.Routes;
using Pool.Grains;
using Pool.Grains.Routes;
using Pool.Silo.Hosting;
using Pool.Testing;

namespace Pool.Grains.Tests;

/// <summary>
/// A real Pool cluster in this process: silos with the production storage configuration (ADO.NET
/// clustering, grain storage and reminders on PostgreSQL), and a client that finds them through the
/// membership table. Two clusters built on the same database and service id see the same state,
/// which is how tests restart "the whole cluster".
/// </summary>
public static class PoolCluster
{
    private const string ConnectionStringKey = "PoolTest:ConnectionString";
    private const string ClockKey = "PoolTest:Clock";
    private const string GatewayKey = "PoolTest:Gateway";
    private static readonly ConcurrentDictionary<string, TimeProvider> s_clocks = new();
    private static readonly ConcurrentDictionary<string, IOutboundGateway> s_gateways = new();

    /// <param name="clock">The domain clock of the silos (lease deadlines, cooldowns); null: the system clock.</param>
    /// <param name="gateway">The carriers' side of outbound messages (a test double); null: none configured.</param>
    public static async Task<TestCluster> StartAsync(TestDatabase database, string serviceId, short silos = 2, TimeProvider? clock = null, IOutboundGateway? gateway = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringKey] = database.ConnectionString;
        // Outbound verification's keys (fixed test keys, so a restarted cluster reads what the first wrote).
        builder.Properties["Pool:Verification:EncryptionKey"] = Convert.ToBase64String(SHA256.HashData("pool test encryption key"u8));
        builder.Properties["Pool:Verification:IndexKey"] = Convert.ToBase64String(SHA256.HashData("pool test index key"u8));
        // Concatenated SMS wait 3 seconds for missing parts here (60 in production), so a test can watch the timeout.
        builder.Properties["Pool:Inbound:ConcatenationTimeout"] = "00:00:03";
        if (clock is not null)
        {
            var clockId = Guid.NewGuid().ToString("n");
            s_clocks[clockId] = clock;
            builder.Properties[ClockKey] = clockId;
        }

        if (gateway is not null)
        {
            var gatewayId = Guid.NewGuid().ToString("n");
            s_gateways[gatewayId] = gateway;
            builder.Properties[GatewayKey] = gatewayId;
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]!;
            if (siloBuilder.Configuration[ClockKey] is { } clockId)
            {
                siloBuilder.Services.AddKeyedSingleton(PoolClock.Key, s_clocks[clockId]);
            }

            if (siloBuilder.Configuration[GatewayKey] is { } gatewayId)
            {
                siloBuilder.Services.AddSingleton(s_gateways[gatewayId]);
            }

            siloBuilder.UsePoolStorage(connectionString);
            siloBuilder.Services.AddPoolGrains(connectionString);
            siloBuilder.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Configure<ClusterMembershipOptions>(options =>
            {
                // Fast failure detection for tests only (ORLEANS-NOTES); production keeps the defaults.
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = configuration[ConnectionStringKey]!;
            });
    }
}
