using Pool.Contracts.Errors;
using Pool.Contracts.Privacy;
using Pool.Contracts.Routes;
using Pool.Contracts.Verification;
using Pool.Grains.Tests.Routes;
using Pool.Testing;

namespace Pool.Grains.Tests.Privacy;

/// <summary>
/// The audit row commits with the anonymisation of the tables or neither does; a failed erasure is
/// retried to completion. The database is the fixture's own, so a trigger that refuses audit rows for a
/// while harms no other test.
/// </summary>
public sealed class ErasureAtomicityTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>
{
    private const string Number = "+85261240002";
    private const string Connection = "erase-hk";

    [Fact]
    public async Task An_erasure_whose_audit_row_cannot_be_written_changes_no_table_and_its_retry_finishes_the_work()
    {
        await fixture.Grains.GetGrain<ICarrierRouteGrain>(Connection).UpsertAsync(new RouteDefinition(Connection, Connection, ["HK"], [], 0.02m, 1));
        await fixture.Grains.GetGrain<IRouteTableGrain>("HK").SetAsync([Connection], []);
        var verification = fixture.Grains.GetGrain<IVerificationGrain>(VerificationIds.NewRandom());
        var started = await verification.StartAsync(new VerificationRequest("acme", Number));
        var id = started.VerificationId;
        var hash = $"SELECT encode(to_hash, 'hex') FROM verifications WHERE verification_id = '{id}'";
        var before = await fixture.Database.ScalarAsync<string>(hash);
        await fixture.Database.ExecuteAsync(
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END; $$; " +
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION refuse_audit();");
        PoolException refused;
        try
        {
            refused = await Assert.ThrowsAsync<PoolException>(() => fixture.Grains.GetGrain<IPrivacyGrain>(0).EraseEndUserAsync(Number, null));
        }
        finally
        {
            await fixture.Database.ExecuteAsync("DROP TRIGGER refuse_audit ON audit; DROP FUNCTION refuse_audit();");
        }

        Assert.Equal(PoolErrorCode.Unavailable, refused.Code);
        Assert.Equal(before, await fixture.Database.ScalarAsync<string>(hash));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit WHERE action = 'end_user.erase'"));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM outbound_messages WHERE reference = 'verification:{id}' AND carrier_message_id = ''"));

        // The grain was erased before the transaction (it was canceled then); the retry finds the index row by its hash and finishes.
        var retried = await fixture.Grains.GetGrain<IPrivacyGrain>(0).EraseEndUserAsync(Number, null);

        Assert.Equal(0, retried.ActiveVerificationsCanceled);
        Assert.Equal(0, retried.VerificationStatesAnonymised);
        Assert.Equal(1, retried.VerificationsAnonymised);
        Assert.NotEqual(before, await fixture.Database.ScalarAsync<string>(hash));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit WHERE action = 'end_user.erase'"));
        Assert.Equal(VerificationStatus.Canceled, (await verification.GetAsync("acme")).Status);
        Assert.Equal(
            await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM outbound_messages WHERE reference = 'verification:{id}'"),
            await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM outbound_messages WHERE reference = 'verification:{id}' AND carrier_message_id = ''"));
    }
}
