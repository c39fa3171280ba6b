using Npgsql;
using Pool.Silo.Database;
using Pool.Testing;

namespace Pool.Silo.Tests;

public sealed class SchemaMigratorTests
{
    [Fact]
    public async Task A_fresh_database_gets_every_migration_in_order_and_a_second_run_applies_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new SchemaMigrator(database.ConnectionString);

        var first = await migrator.MigrateAsync();
        var schemaAfterFirst = await SchemaFingerprintAsync(database);
        var second = await migrator.MigrateAsync();

        Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Version), first.Applied.Select(m => m.Version));
        Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Version).Order(), first.Applied.Select(m => m.Version));
        Assert.Empty(second.Applied);
        Assert.Equal(SchemaMigrator.Migrations[^1].Version, second.SchemaVersion);
        Assert.Equal(schemaAfterFirst, await SchemaFingerprintAsync(database));
        Assert.Equal(SchemaMigrator.Migrations.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public void Shipped_migrations_are_never_edited()
    {
        // Databases in the field recorded these checksums; an edited migration would stop them from starting.
        // A new migration adds its line to deploy/sql/migrations/shipped.sha256 once it ships.
        var shipped = File.ReadAllLines(Path.Combine(Repository.Root, "deploy", "sql", "migrations", "shipped.sha256"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split("  "))
            .ToDictionary(parts => int.Parse(parts[1][..4], System.Globalization.CultureInfo.InvariantCulture), parts => parts[0]);

        Assert.NotEmpty(shipped);
        foreach (var (version, checksum) in shipped)
        {
            var migration = SchemaMigrator.Migrations.SingleOrDefault(m => m.Version == version);
            Assert.True(migration is not null, $"shipped migration {version:D4} is missing");
            Assert.True(checksum == migration.Checksum, $"shipped migration {version:D4} ({migration.Name}) was edited; add a new migration instead");
        }
    }

    [Fact]
    public async Task Every_migration_file_is_itself_idempotent()
    {
        await using var database = await TestDatabase.CreateAsync();
        var before = await SchemaFingerprintAsync(database);

        foreach (var migration in SchemaMigrator.Migrations)
        {
            await database.ExecuteAsync(migration.Sql);
        }

        Assert.Equal(before, await SchemaFingerprintAsync(database));
    }

    [Fact]
    public async Task The_schema_holds_every_query_the_Orleans_providers_require()
    {
        await using var database = await TestDatabase.CreateAsync();
        string[] required =
        [
            "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
            "CleanupDefunctSiloEntriesKey", "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];

        var present = (await database.ScalarAsync<string>("SELECT string_agg(QueryKey, ',') FROM OrleansQuery"))!.Split(',');

        Assert.Empty(required.Except(present));
    }

    [Fact]
    public async Task A_migration_edited_after_it_was_applied_stops_the_run_with_its_name()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteAsync("UPDATE schema_version SET checksum = 'tampered' WHERE version = 3");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SchemaMigrator(database.ConnectionString).MigrateAsync());

        Assert.Contains("0003", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_exactly_once()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => new SchemaMigrator(database.ConnectionString).MigrateAsync()));

        Assert.Equal(SchemaMigrator.Migrations.Count, results.Sum(r => r.Applied.Count));
        Assert.Equal(SchemaMigrator.Migrations.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public async Task The_inventory_refuses_a_number_that_is_not_E164()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteAsync("INSERT INTO pools (pool_id, country) VALUES ('hk', 'HK')");

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            database.ExecuteAsync("INSERT INTO numbers (number, pool_id, country, shard) VALUES ('85251234567', 'hk', 'HK', 0)"));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    [Fact]
    public async Task Upgrading_to_key_roles_turns_each_scope_into_its_role_with_no_expiry_and_any_address()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        foreach (var migration in SchemaMigrator.Migrations.Where(m => m.Version < 18))
        {
            await database.ExecuteAsync(migration.Sql);
        }

        await database.ExecuteAsync("INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')");
        await database.ExecuteAsync(
            "INSERT INTO api_keys (key_id, tenant_id, scope, secret_hash) VALUES " +
            "('pool_00000000000a', 'acme', 'admin', decode(repeat('aa', 32), 'hex')), ('pool_00000000000b', 'acme', 'tenant', decode(repeat('bb', 32), 'hex'))");

        var upgrade = SchemaMigrator.Migrations.Single(m => m.Version == 18).Sql;
        await database.ExecuteAsync(upgrade);
        await database.ExecuteAsync(upgrade);
        var roles = await database.ScalarAsync<string>(
            "SELECT string_agg(key_id || '=' || role || ':' || coalesce(expires_at::text, 'never') || ':' || cardinality(allowed_cidrs), ',' ORDER BY key_id) FROM api_keys");
        var scopeLeft = await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'api_keys' AND column_name = 'scope'");
        var badRole = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(
            "INSERT INTO api_keys (key_id, tenant_id, role, secret_hash) VALUES ('pool_00000000000c', 'acme', 'root', decode(repeat('cc', 32), 'hex'))"));

        Assert.Equal("pool_00000000000a=admin:never:0,pool_00000000000b=tenant:never:0", roles);
        Assert.Equal(0, scopeLeft);
        Assert.Equal(PostgresErrorCodes.CheckViolation, badRole.SqlState);
    }

    /// <summary>Tables, columns, functions and query texts: what a migration could change.</summary>
    private static Task<string?> SchemaFingerprintAsync(TestDatabase database) => database.ScalarAsync<string>("""
        SELECT md5(string_agg(item, '|' ORDER BY item)) FROM (
            SELECT table_name || '.' || column_name || ':' || data_type AS item FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT p.proname || ':' || md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
            UNION ALL SELECT indexname || ':' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT QueryKey || ':' || md5(QueryText) FROM OrleansQuery
        ) AS schema_items
        """);
}
