using Npgsql;
using Pool.Contracts.Verification;

namespace Pool.Grains.Verification;

/// <summary>The verifications table: limits by number and prefix, and a queryable record of each verification.</summary>
public sealed class VerificationStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Inserts the verification's row if the number and its prefix had fewer than the limits since
    /// <paramref name="since"/>; the count and the insert run under a transaction lock on the prefix
    /// (which also covers the number), so racing starts cannot both take the last place. Returns
    /// whether it was admitted and the counts it saw. A row already there (a retry) is admitted.
    /// </summary>
    public async Task<(bool Admitted, int Number, int Prefix)> InsertWithinLimitsAsync(
        VerificationRecord record, string verificationId, DateTimeOffset since, int maxPerNumber, int maxPerPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockPrefix = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(encode($1, 'hex'), 7))", connection, transaction))
        {
            lockPrefix.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.PrefixHash });
            await lockPrefix.ExecuteNonQueryAsync(cancellationToken);
        }

        int byNumber, byPrefix;
        bool exists;
        await using (var count = new NpgsqlCommand(
            "SELECT (SELECT count(*)::int FROM verifications WHERE to_hash = $1 AND created_at > $3), " +
            "(SELECT count(*)::int FROM verifications WHERE prefix_hash = $2 AND created_at > $3), " +
            "EXISTS (SELECT 1 FROM verifications WHERE verification_id = $4)", connection, transaction))
        {
            count.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.NumberHash });
            count.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.PrefixHash });
            count.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
            count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = verificationId });
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (byNumber, byPrefix, exists) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetBoolean(2));
        }

        if (!exists && (byNumber >= maxPerNumber || byPrefix >= maxPerPrefix))
        {
            return (false, byNumber, byPrefix);
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO verifications (verification_id, tenant_id, to_hash, prefix_hash, to_encrypted, channel, status, delivery, sends, checks, created_at, expires_at, updated_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (verification_id) DO NOTHING", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = verificationId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.TenantId });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.NumberHash });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.PrefixHash });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.ToEncrypted });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Channel });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StatusName(record.Status) });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DeliveryName(record.Delivery) });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Sends });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Checks });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.CreatedAt });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.ExpiresAt });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.UpdatedAt });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (true, byNumber, byPrefix);
    }

    public async Task UpdateAsync(VerificationRecord record, string verificationId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE verifications SET status = $2, delivery = $3, sends = $4, checks = $5, updated_at = $6 WHERE verification_id = $1 AND updated_at <= $6");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = verificationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StatusName(record.Status) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DeliveryName(record.Delivery) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Sends });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Checks });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.UpdatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string StatusName(VerificationStatus status) => status switch
    {
        VerificationStatus.Approved => "approved",
        VerificationStatus.Canceled => "canceled",
        VerificationStatus.Expired => "expired",
        VerificationStatus.MaxAttemptsReached => "max_attempts_reached",
        VerificationStatus.Failed => "failed",
        _ => "pending",
    };

    private static string DeliveryName(VerificationDelivery delivery) => delivery switch
    {
        VerificationDelivery.Sent => "sent",
        VerificationDelivery.Delivered => "delivered",
        VerificationDelivery.Undelivered => "undelivered",
        _ => "none",
    };

    /// <summary>Pending verifications whose deadline has passed (their grain may be gone): id and tenant.</summary>
    public async Task<IReadOnlyList<(string VerificationId, string TenantId)>> ListOverdueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT verification_id, tenant_id FROM verifications WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = limit });
        var overdue = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            overdue.Add((reader.GetString(0), reader.GetString(1)));
        }

        return overdue;
    }
}
