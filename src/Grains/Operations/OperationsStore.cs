using Npgsql;
using Pool.Contracts.Operations;

namespace Pool.Grains.Operations;

/// <summary>
/// The database's side of the cluster status: every pool's numbers by effective state, and the webhook
/// backlog, read in one round trip (two statements of one batch, each an aggregate over an index).
/// </summary>
public sealed class OperationsStore(NpgsqlDataSource dataSource)
{
    private const string PoolCountsSql =
        "SELECT p.pool_id, p.country, " +
        "count(*) FILTER (WHERE n.status = 'available' OR (n.status IN ('cooling', 'watchlisted') AND n.status_until <= now()))::int, " +
        "count(*) FILTER (WHERE n.status = 'leased')::int, " +
        "count(*) FILTER (WHERE n.status = 'cooling' AND (n.status_until IS NULL OR n.status_until > now()))::int, " +
        "count(*) FILTER (WHERE n.status = 'watchlisted' AND (n.status_until IS NULL OR n.status_until > now()))::int, " +
        "count(*) FILTER (WHERE n.status = 'retired')::int " +
        "FROM pools p LEFT JOIN numbers n ON n.pool_id = p.pool_id GROUP BY p.pool_id, p.country ORDER BY p.pool_id";

    private const string BacklogSql =
        "SELECT count(*), min(created_at) FROM webhook_deliveries WHERE status = 'pending'";

    /// <summary>Every pool's counts (ordered by pool id) and the webhook backlog as of <paramref name="now"/>.</summary>
    public async Task<(IReadOnlyList<PoolCounts> Pools, WebhookBacklog Webhooks)> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PoolCountsSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BacklogSql));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var pools = new List<PoolCounts>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pools.Add(new PoolCounts(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var pending = reader.GetInt64(0);
        TimeSpan? oldest = reader.IsDBNull(1) ? null : Max(TimeSpan.Zero, now - reader.GetFieldValue<DateTimeOffset>(1));
        return (pools, new WebhookBacklog(pending, oldest));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
