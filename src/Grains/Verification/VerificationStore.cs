using Npgsql;
using Pool.Contracts.Verification;

namespace Pool.Grains.Verification;

/// <summary>The verifications table: limits by number and prefix, and a queryable record of each verification.</summary>
public sealed class VerificationStore(NpgsqlDataSource dataSource)
{
    /// <summary>Verifications created since <paramref name="since"/> to the number and to its prefix.</summary>
    public async Task<(int Number, int Prefix)> CountSinceAsync(byte[] numberHash, byte[] prefixHash, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*)::int FROM verifications WHERE to_hash = $1 AND created_at > $3), " +
            "(SELECT count(*)::int FROM verifications WHERE prefix_hash = $2 AND created_at > $3)");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = numberHash });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = prefixHash });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    public async Task InsertAsync(VerificationRecord record, string verificationId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO verifications (verification_id, tenant_id, to_hash, prefix_hash, to_encrypted, channel, status, delivery, sends, checks, created_at, expires_at, updated_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (verification_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = verificationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.TenantId });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.NumberHash });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.PrefixHash });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = record.ToEncrypted });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Channel });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StatusName(record.Status) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DeliveryName(record.Delivery) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Sends });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Checks });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.ExpiresAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.UpdatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
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
