using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Orleans.TestingHost;
using Pool.Contracts.Privacy;
using Pool.Contracts.Verification;
using Pool.Grains.Persistence;
using Pool.Grains.Verification;
using Pool.Testing;

namespace Pool.Grains.Tests.Privacy;

/// <summary>
/// Erasure of a verification whose state an earlier release stored through the ADO.NET provider
/// (OrleansStorage): the old row would still hold the number after the grain wrote its anonymised
/// state to grain_state, so the erasure deletes it.
/// </summary>
public sealed class ErasureLegacyStateTests : IAsyncLifetime
{
    private const string Number = "+85261230001";
    private TestDatabase _database = null!;
    private readonly string _serviceId = $"era-{Guid.NewGuid():n}"[..16];

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static IServiceProvider Services(TestCluster cluster) => ((InProcessSiloHandle)cluster.Silos[0]).ServiceProvider;

    [Fact]
    public async Task A_verification_state_an_earlier_release_stored_is_deleted_and_no_row_keeps_the_number()
    {
        var verificationId = VerificationIds.NewRandom();
        byte[] numberHash, cipher;
        await using (var earlier = await PoolCluster.StartAsync(_database, _serviceId, silos: 1))
        {
            var crypto = Services(earlier).GetRequiredService<VerificationCrypto>();
            numberHash = crypto.NumberIndex(Number);
            cipher = crypto.Encrypt("number", verificationId, Number);
            var now = DateTimeOffset.UtcNow;
            var record = new VerificationRecord(
                "acme", numberHash, crypto.PrefixIndex(Number[..8]), cipher, "+852****0001", "sms", "en", 6, crypto.CodeHash(verificationId, "123456"),
                crypto.Encrypt("code", verificationId, "123456"), now, now.AddMinutes(10), VerificationStatus.Approved, VerificationDelivery.Delivered,
                Sends: 1, Checks: 1, now, "hk", TimeSpan.FromMinutes(10));
            var legacy = Services(earlier).GetRequiredKeyedService<IGrainStorage>(PoolGrainStorage.LegacyName);
            var grainId = earlier.Client.GetGrain<IVerificationGrain>(verificationId).GetGrainId();
            await legacy.WriteStateAsync("verification", grainId, new GrainState<VerificationState>(new VerificationState { Record = record }));
            await using var connection = _database.Connect();
            await using var index = new NpgsqlCommand(
                "INSERT INTO verifications (verification_id, tenant_id, to_hash, prefix_hash, to_encrypted, channel, status, delivery, sends, checks, created_at, expires_at, updated_at) " +
                "VALUES ($1, 'acme', $2, $3, $4, 'sms', 'approved', 'delivered', 1, 1, now(), now() + interval '10 minutes', now())", connection);
            index.Parameters.Add(new NpgsqlParameter<string> { TypedValue = verificationId });
            index.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = numberHash });
            index.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.PrefixHash });
            index.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = cipher });
            await index.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await _database.ScalarAsync<long>($"SELECT count(*) FROM OrleansStorage WHERE GrainIdExtensionString = '{verificationId}'"));
        await using var cluster = await PoolCluster.StartAsync(_database, _serviceId, silos: 1);

        var erased = await cluster.Client.GetGrain<IPrivacyGrain>(0).EraseEndUserAsync(Number, null);

        Assert.Equal(new EndUserErasure("+852****0001", null, 0, 1, 1, 0, 0, 1), erased);
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage"));
        foreach (var secret in new[] { numberHash, cipher })
        {
            await using var connection = _database.Connect();
            await using var holding = new NpgsqlCommand(
                "SELECT (SELECT count(*) FROM grain_state WHERE position($1 in payload) > 0) + (SELECT count(*) FROM verifications WHERE position($1 in to_hash) > 0 OR position($1 in to_encrypted) > 0)",
                connection);
            holding.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secret });
            Assert.Equal(0L, await holding.ExecuteScalarAsync());
        }

        var shown = await cluster.Client.GetGrain<IVerificationGrain>(verificationId).GetAsync("acme");
        Assert.Equal(VerificationGrain.ErasedNumber, shown.ToMasked);
        Assert.Equal(VerificationStatus.Approved, shown.Status);
        Assert.Equal(1, shown.Checks);
    }
}
