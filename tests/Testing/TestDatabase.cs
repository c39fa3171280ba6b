using Npgsql;
using Pool.Silo.Database;

namespace Pool.Testing;

/// <summary>
/// A fresh database with the full schema applied, on the PostgreSQL that scripts/db.sh runs
/// (POOL_TEST_PG overrides the server connection string). Dropped when disposed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "POOL_TEST_PG";
    public const string DefaultServer = "Host=127.0.0.1;Port=7432;Database=pool;Username=pool";

    private readonly string _server;

    private TestDatabase(string name, string connectionString, string server)
    {
        Name = name;
        ConnectionString = connectionString;
        _server = server;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString => Environment.GetEnvironmentVariable(ServerVariable) ?? DefaultServer;

    public static Task<TestDatabase> CreateAsync(bool migrate = true) => CreateAsync(ServerConnectionString, migrate);

    /// <summary>A fresh database on the server <paramref name="serverConnectionString"/> reaches (a private server of one test).</summary>
    public static async Task<TestDatabase> CreateAsync(string serverConnectionString, bool migrate = true)
    {
        var name = $"pool_test_{Guid.NewGuid():n}"[..28];
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            try
            {
                await connection.OpenAsync();
            }
            catch (NpgsqlException ex)
            {
                throw new InvalidOperationException(
                    $"Tests need the project's PostgreSQL at {server.Host}:{server.Port} (start it with scripts/db.sh start, or set {ServerVariable}): {ex.Message}", ex);
            }

            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new TestDatabase(name, new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString, server.ConnectionString);
        if (migrate)
        {
            await new SchemaMigrator(database.ConnectionString).MigrateAsync();
        }

        return database;
    }

    public NpgsqlConnection Connect()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Drops the database. A host that just stopped may still be closing connections (its last
    /// projection batch), so the drop is tried a few times; a database left behind is harmless and
    /// is reported rather than failing the tests that used it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_server);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException) when (attempt < 5)
            {
                await Task.Delay(200 * attempt);
                NpgsqlConnection.ClearAllPools();
            }
            catch (PostgresException ex)
            {
                await Console.Error.WriteLineAsync($"test database {Name} was not dropped: {ex.MessageText}");
                return;
            }
        }
    }
}
