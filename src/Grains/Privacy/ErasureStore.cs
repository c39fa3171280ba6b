using Npgsql;
using Pool.Contracts.Audit;
using Pool.Grains.Audit;
using Pool.Grains.Verification;

namespace Pool.Grains.Privacy;

/// <summary>What <see cref="ErasureStore.AnonymiseAsync"/> changed, per table.</summary>
public sealed record ErasedRows(int Verifications, int OutboundMessages, int Receipts, int LegacyStates);

/// <summary>
/// The rows of the outbound flow that tie an end user's number to Pool's records, and their irreversible
/// anonymisation. A verification row keeps its tenant, status, delivery, counts and times (reports and
/// costs); it loses the number's ciphertext, and its keyed hash becomes a random value (so the per-number
/// limit no longer counts it; the per-prefix toll-fraud limit still does). Its outbound messages and
/// their status reports keep route, status and times, and lose the carrier's message id (the key to the
/// carrier's own record of the number). A grain state the ADO.NET provider of an earlier release wrote
/// (OrleansStorage) is deleted: the verification grain has written its anonymised state to grain_state,
/// which is read first.
/// </summary>
public sealed class ErasureStore(NpgsqlDataSource dataSource)
{
    /// <summary>The verifications (id, tenant) whose number has the keyed hash <paramref name="numberHash"/>, of <paramref name="tenantId"/> or of every tenant.</summary>
    public async Task<IReadOnlyList<(string VerificationId, string TenantId)>> FindVerificationsAsync(byte[] numberHash, string? tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT verification_id, tenant_id FROM verifications WHERE to_hash = $1 AND ($2::text IS NULL OR tenant_id = $2) ORDER BY created_at, verification_id");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = numberHash });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)tenantId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var found = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetString(0), reader.GetString(1)));
        }

        return found;
    }

    /// <summary>
    /// In one transaction: anonymises the index rows of <paramref name="verificationIds"/> that still have
    /// <paramref name="numberHash"/>, the outbound messages and status reports of those verifications, deletes
    /// their OrleansStorage states of <paramref name="serviceId"/>, and appends the audit row
    /// <paramref name="audit"/> makes of what it changed.
    /// </summary>
    public async Task<ErasedRows> AnonymiseAsync(
        byte[] numberHash, IReadOnlyList<string> verificationIds, string serviceId, Func<ErasedRows, AuditRecord> audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationIds);
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string[] ids = [.. verificationIds];
        string[] references = [.. ids.Select(id => VerificationGrain.ReferencePrefix + id)];

        // sha256 of a random (v4) uuid: 32 bytes, as the column's check wants, drawn from PostgreSQL's strong random source.
        var verifications = await ExecuteAsync(
            connection, transaction,
            "UPDATE verifications SET to_hash = sha256(uuid_send(gen_random_uuid())), to_encrypted = '\\x'::bytea WHERE verification_id = ANY($1) AND to_hash = $2",
            cancellationToken, Parameter(ids), Parameter(numberHash));

        long[] outboundIds;
        await using (var messages = new NpgsqlCommand(
            "UPDATE outbound_messages SET carrier_message_id = '', id_keys = '{}', owner_notified_at = coalesce(owner_notified_at, now()) " +
            "WHERE reference = ANY($1) AND (carrier_message_id <> '' OR id_keys <> '{}') RETURNING outbound_id", connection, transaction))
        {
            messages.Parameters.Add(Parameter(references));
            var changed = new List<long>();
            await using var reader = await messages.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                changed.Add(reader.GetInt64(0));
            }

            outboundIds = [.. changed];
        }

        var receipts = await ExecuteAsync(
            connection, transaction,
            "UPDATE status_reports SET carrier_message_id = '', id_keys = '{}' WHERE outbound_id = ANY($1) AND (carrier_message_id <> '' OR id_keys <> '{}')",
            cancellationToken, Parameter(outboundIds));
        var legacy = await ExecuteAsync(
            connection, transaction,
            "DELETE FROM OrleansStorage WHERE ServiceId = $1 AND GrainTypeString = 'verification' AND GrainIdExtensionString = ANY($2)",
            cancellationToken, Parameter(serviceId), Parameter(ids));

        var erased = new ErasedRows(verifications, outboundIds.Length, receipts, legacy);
        await AuditRows.AppendAsync(connection, transaction, audit(erased), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return erased;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter<T> Parameter<T>(T value) => new() { TypedValue = value };
}
