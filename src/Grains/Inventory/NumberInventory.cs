using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Allocation;
using Pool.Contracts.Errors;
using Pool.Sms.Numbers;

namespace Pool.Grains.Inventory;

/// <summary>
/// The relational number inventory (tables <c>pools</c> and <c>numbers</c>): which numbers exist and
/// which pool and shard each belongs to. It holds membership only, never lease state, so a lease
/// costs no inventory write; the number grains' persisted state is the truth about who holds what.
/// </summary>
public sealed class NumberInventory(NpgsqlDataSource dataSource)
{
    public async Task<NumberRecord?> FindNumberAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT pool_id, country FROM numbers WHERE number = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = number });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new NumberRecord(number, reader.GetString(0), reader.GetString(1))
            : null;
    }

    public async Task<IReadOnlyList<string>> ListShardAsync(string poolId, int shard, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT number FROM numbers WHERE pool_id = $1 AND shard = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)shard });
        var numbers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add(reader.GetString(0));
        }

        return numbers;
    }

    public async Task<PoolRecord?> FindPoolAsync(string poolId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT pool_id, country, created_at FROM pools WHERE pool_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
        var pools = await ReadPoolsAsync(command, cancellationToken);
        return pools.Count == 0 ? null : pools[0];
    }

    public async Task<IReadOnlyList<PoolRecord>> ListPoolsOfCountryAsync(string country, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT pool_id, country, created_at FROM pools WHERE country = $1 ORDER BY pool_id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = country });
        return await ReadPoolsAsync(command, cancellationToken);
    }

    /// <summary>
    /// Adds <paramref name="numbers"/> to <paramref name="poolId"/> in one transaction, creating the pool
    /// if needed. Returns the numbers that were new. Nothing is written when any number belongs to
    /// another pool or the pool belongs to another country.
    /// </summary>
    public async Task<IReadOnlyList<string>> AddNumbersAsync(string poolId, string country, IReadOnlyList<string> numbers, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var insertPool = new NpgsqlCommand(
            "INSERT INTO pools (pool_id, country) VALUES ($1, $2) ON CONFLICT (pool_id) DO NOTHING", connection, transaction))
        {
            insertPool.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            insertPool.Parameters.Add(new NpgsqlParameter<string> { TypedValue = country });
            await insertPool.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var poolCountry = new NpgsqlCommand("SELECT country FROM pools WHERE pool_id = $1 FOR SHARE", connection, transaction))
        {
            poolCountry.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            var existingCountry = (string?)await poolCountry.ExecuteScalarAsync(cancellationToken);
            if (existingCountry != country)
            {
                throw new PoolException(
                    PoolErrorCode.InvalidArgument,
                    $"pool '{poolId}' holds numbers of {existingCountry}, not {country}",
                    "country");
            }
        }

        await using (var foreign = new NpgsqlCommand(
            "SELECT number, pool_id FROM numbers WHERE number = ANY($1) AND pool_id <> $2 LIMIT 5", connection, transaction))
        {
            foreign.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. numbers] });
            foreign.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            await using var reader = await foreign.ExecuteReaderAsync(cancellationToken);
            var clashes = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                clashes.Add($"{E164.Mask(reader.GetString(0))} is in pool '{reader.GetString(1)}'");
            }

            if (clashes.Count > 0)
            {
                throw new PoolException(
                    PoolErrorCode.FailedPrecondition,
                    $"numbers already belong to another pool ({string.Join("; ", clashes)}); nothing was added",
                    "numbers");
            }
        }

        var shards = numbers.Select(n => (short)AllocationShards.ShardOf(n)).ToArray();
        var added = new List<string>();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO numbers (number, pool_id, country, shard) " +
            "SELECT n, $2, $3, s FROM unnest($1::text[], $4::smallint[]) AS t(n, s) " +
            "ON CONFLICT (number) DO NOTHING RETURNING number", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. numbers] });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = country });
            insert.Parameters.Add(new NpgsqlParameter { Value = shards, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                added.Add(reader.GetString(0));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    private static async Task<IReadOnlyList<PoolRecord>> ReadPoolsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var pools = new List<PoolRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pools.Add(new PoolRecord(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return pools;
    }
}
