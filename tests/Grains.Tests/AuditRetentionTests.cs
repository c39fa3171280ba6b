using Npgsql;
using Pool.Contracts.Audit;

namespace Pool.Grains.Tests;

/// <summary>The audit table is append-only for Pool's own database user, and the retention grain purges only rows past retention.</summary>
public sealed class AuditRetentionTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Retention_purge_deletes_rows_older_than_the_retention_period_and_keeps_younger_ones()
    {
        var marker = $"purge-{Guid.NewGuid():n}"[..20];
        await fixture.Database.ExecuteAsync(
            "INSERT INTO audit (at, key_id, role, tenant_id, action, target) VALUES " +
            $"(now() - interval '500 days', 'system', 'system', 'system', 'test.old', '{marker}/old1'), " +
            $"(now() - interval '401 days', 'system', 'system', 'system', 'test.old', '{marker}/old2'), " +
            $"(now() - interval '399 days', 'system', 'system', 'system', 'test.young', '{marker}/young1'), " +
            $"(now() - interval '2 days', 'system', 'system', 'system', 'test.young', '{marker}/young2')");

        var purged = await fixture.Grains.GetGrain<IAuditRetentionGrain>(0).PurgeAsync();

        var left = await fixture.Database.ScalarAsync<string>($"SELECT string_agg(target, ',' ORDER BY target) FROM audit WHERE target LIKE '{marker}/%'");
        Assert.Equal($"{marker}/young1,{marker}/young2", left);
        Assert.True(purged >= 2, $"the purge reports the rows it deleted (at least the two older than 400 days), not {purged}");
    }

    [Theory]
    [InlineData("UPDATE audit SET outcome = 'tampered'")]
    [InlineData("DELETE FROM audit")]
    [InlineData("TRUNCATE audit")]
    public async Task Changing_or_removing_audit_rows_is_refused_by_the_database_to_Pools_own_user(string sql)
    {
        await fixture.Database.ExecuteAsync(
            "INSERT INTO audit (at, key_id, role, tenant_id, action, target) VALUES (now() - interval '900 days', 'system', 'system', 'system', 'test.kept', 'append-only/row')");
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => fixture.Database.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit"));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM audit WHERE outcome = 'tampered'"));
    }

    [Fact]
    public async Task The_purge_function_never_deletes_a_row_younger_than_a_day_whatever_the_cutoff()
    {
        var marker = $"fresh-{Guid.NewGuid():n}"[..20];
        await fixture.Database.ExecuteAsync(
            $"INSERT INTO audit (key_id, role, tenant_id, action, target) VALUES ('system', 'system', 'system', 'test.fresh', '{marker}/now')");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => fixture.Database.ExecuteAsync("SELECT audit_purge(now() + interval '1 day', 100000)"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM audit WHERE target = '{marker}/now'"));
    }
}
