using Npgsql;
using Orleans.Concurrency;
using Pool.Contracts.Errors;
using Pool.Contracts.SmsActivate;

namespace Pool.Grains.SmsActivate;

/// <summary>The sms_activate_activations table: integer activation ids for leases, scoped by tenant.</summary>
[StatelessWorker] // One statement per call and no state of its own: served on the caller's silo, several at once.
public sealed class ActivationIdGrain(NpgsqlDataSource dataSource) : Grain, IActivationIdGrain
{
    /// <summary>Most lease ids one <see cref="FindActivationsAsync"/> call looks up.</summary>
    public const int MaxLookup = 1000;

    public async Task<long> AssignAsync(string tenantId, string leaseId)
    {
        // The insert's own row, or (when the lease already has one) the stored row: the second SELECT
        // reads the snapshot from before the insert, so exactly one of the two answers.
        await using var command = dataSource.CreateCommand(
            "WITH added AS (INSERT INTO sms_activate_activations (tenant_id, lease_id) VALUES ($1, $2) " +
            "ON CONFLICT (lease_id) DO NOTHING RETURNING activation_id, tenant_id) " +
            "SELECT activation_id, tenant_id FROM added " +
            "UNION ALL SELECT activation_id, tenant_id FROM sms_activate_activations WHERE lease_id = $2 LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = leaseId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw InfrastructureFaults.Unavailable();
        }

        var (id, owner) = (reader.GetInt64(0), reader.GetString(1));
        return owner == tenantId
            ? id
            : throw new PoolException(PoolErrorCode.NotFound, $"lease {leaseId} does not exist");
    }

    public async Task<string?> FindLeaseAsync(string tenantId, long activationId)
    {
        await using var command = dataSource.CreateCommand("SELECT lease_id FROM sms_activate_activations WHERE activation_id = $1 AND tenant_id = $2");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = activationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<IReadOnlyDictionary<string, long>> FindActivationsAsync(string tenantId, IReadOnlyList<string> leaseIds)
    {
        ArgumentNullException.ThrowIfNull(leaseIds);
        if (leaseIds.Count > MaxLookup)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"at most {MaxLookup} leases per lookup, not {leaseIds.Count}", "lease_ids");
        }

        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        if (leaseIds.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand("SELECT lease_id, activation_id FROM sms_activate_activations WHERE tenant_id = $1 AND lease_id = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. leaseIds] });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetString(0)] = reader.GetInt64(1);
        }

        return found;
    }
}
