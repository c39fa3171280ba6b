using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Audit;
using Pool.Contracts.Inbound;
using Pool.Grains.Audit;

namespace Pool.Grains.Webhooks;

/// <summary>A delivery claimed for an attempt, with what it takes to send it.</summary>
public sealed record DueDelivery(
    string DeliveryId,
    string EndpointId,
    string EventId,
    string EventType,
    int Attempts,
    string Url,
    string Secret,
    StoredMessage Message,
    string Number);

/// <summary>The webhook_endpoints and webhook_deliveries tables.</summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource)
{
    private const string EndpointColumns = "endpoint_id, tenant_id, url, description, enabled, disabled_reason, created_at";

    private const string DeliveryColumns =
        "delivery_id, endpoint_id, event_id, event_type, message_id, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at";

    /// <summary>Adds an endpoint, audited as <paramref name="actor"/>'s "webhook.create" (its id, URL without query, description; never its secret).</summary>
    public async Task<WebhookEndpoint> AddEndpointAsync(string tenantId, string url, string description, string secret, DateTimeOffset now, int maxPerTenant, AuditActor actor)
    {
        var endpoint = await AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            // One statement: the per-tenant cap holds even when two adds race.
            await using var command = new NpgsqlCommand($"""
                INSERT INTO webhook_endpoints (endpoint_id, tenant_id, url, description, secret, created_at)
                SELECT $1, $2, $3, $4, $5, $6
                WHERE (SELECT count(*) FROM webhook_endpoints WHERE tenant_id = $2) < $7
                RETURNING {EndpointColumns}
                """, connection, transaction);
            Add(command, $"whe_{Guid.NewGuid():n}"[..24], tenantId, url, description, secret, now, maxPerTenant);
            var added = (await ReadEndpointsAsync(command)).SingleOrDefault();
            return (added, added is null ? null : new AuditRecord(actor, "webhook.create", $"webhook/{added.EndpointId}", null, EndpointFields(added)));
        });
        return endpoint
            ?? throw new Contracts.Errors.PoolException(Contracts.Errors.PoolErrorCode.Exhausted, $"a tenant has at most {maxPerTenant} webhook endpoints; remove one first");
    }

    /// <summary>An endpoint as an audit row shows it: the URL without its query or fragment (they can hold tokens).</summary>
    private static string? EndpointFields(WebhookEndpoint endpoint)
    {
        var url = Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "(unparsed)";
        return AuditRows.Json(new { tenant = endpoint.TenantId, url, description = endpoint.Description, enabled = endpoint.Enabled });
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(string tenantId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at, endpoint_id");
        Add(command, tenantId);
        return await ReadEndpointsAsync(command);
    }

    /// <summary>The endpoint and its secret, if it belongs to the tenant.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)?> FindEndpointAsync(string tenantId, string endpointId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {EndpointColumns}, secret FROM webhook_endpoints WHERE tenant_id = $1 AND endpoint_id = $2");
        Add(command, tenantId, endpointId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (ReadEndpoint(reader), reader.GetString(7)) : null;
    }

    /// <summary>Removes the endpoint, audited as <paramref name="actor"/>'s "webhook.delete"; null when the tenant has no such endpoint.</summary>
    public Task<WebhookEndpoint?> RemoveEndpointAsync(string tenantId, string endpointId, AuditActor actor) =>
        AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND endpoint_id = $2 RETURNING {EndpointColumns}", connection, transaction);
            Add(command, tenantId, endpointId);
            var removed = (await ReadEndpointsAsync(command)).SingleOrDefault();
            return (removed, removed is null ? null : new AuditRecord(actor, "webhook.delete", $"webhook/{endpointId}", EndpointFields(removed), null));
        });

    /// <summary>Enables the endpoint again, audited as <paramref name="actor"/>'s "webhook.enable"; null when the tenant has no such endpoint.</summary>
    public Task<WebhookEndpoint?> EnableEndpointAsync(string tenantId, string endpointId, AuditActor actor) =>
        AuditStore.ChangeAsync(dataSource, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                "WITH old AS (SELECT endpoint_id, enabled AS was_enabled, disabled_reason AS was_reason FROM webhook_endpoints WHERE tenant_id = $1 AND endpoint_id = $2 FOR UPDATE) " +
                "UPDATE webhook_endpoints e SET enabled = true, disabled_reason = NULL, disabled_at = NULL FROM old WHERE e.endpoint_id = old.endpoint_id " +
                $"RETURNING {string.Join(", ", EndpointColumns.Split(", ").Select(c => "e." + c))}, old.was_enabled, old.was_reason", connection, transaction);
            Add(command, tenantId, endpointId);
            WebhookEndpoint? enabled = null;
            AuditRecord? audit = null;
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                enabled = ReadEndpoint(reader);
                if (!reader.GetBoolean(7))
                {
                    var before = AuditRows.Json(new { enabled = false, disabledReason = reader.IsDBNull(8) ? null : reader.GetString(8) });
                    audit = new AuditRecord(actor, "webhook.enable", $"webhook/{endpointId}", before, AuditRows.Json(new { enabled = true }));
                }
            }

            return (enabled, audit);
        });

    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string tenantId, WebhookDeliveryQuery query)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {DeliveryColumns} FROM webhook_deliveries
            WHERE tenant_id = $1 AND ($2::text IS NULL OR endpoint_id = $2) AND ($3::text IS NULL OR message_id = $3) AND ($4::text IS NULL OR status = $4)
            ORDER BY created_at DESC, delivery_id LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = query.EndpointId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = query.MessageId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = query.Status is { } s ? StatusName(s) : null, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        return await ReadDeliveriesAsync(command);
    }

    /// <summary>Makes a delivery of the tenant pending and due now (its endpoint must be enabled); null when there is no such delivery.</summary>
    public async Task<WebhookDelivery?> ReplayAsync(string tenantId, string deliveryId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $3, claimed_until = NULL, delivered_at = NULL
            WHERE tenant_id = $1 AND delivery_id = $2
            RETURNING {DeliveryColumns}
            """);
        Add(command, tenantId, deliveryId, now);
        return (await ReadDeliveriesAsync(command)).SingleOrDefault();
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of enabled endpoints for <paramref name="claimFor"/>
    /// (rows other silos hold are skipped), so each attempt is made by one silo at a time.
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan claimFor, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH due AS (
                SELECT d.delivery_id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id AND e.enabled
                WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.claimed_until IS NULL OR d.claimed_until <= $1)
                ORDER BY d.next_attempt_at LIMIT $3
                FOR UPDATE OF d SKIP LOCKED
            ), claimed AS (
                UPDATE webhook_deliveries d SET claimed_until = $2 FROM due WHERE d.delivery_id = due.delivery_id
                RETURNING d.delivery_id, d.endpoint_id, d.event_id, d.event_type, d.attempts, d.message_id
            )
            SELECT c.delivery_id, c.endpoint_id, c.event_id, c.event_type, c.attempts, e.url, e.secret,
                   m.message_id, m.sender_masked, coalesce(m.body, ''), m.received_at, m.code, m.service,
                   m.body_purged_at IS NOT NULL, m.incomplete, m.lease_id, coalesce(m.tenant_seq, 0), m.number
            FROM claimed c JOIN webhook_endpoints e ON e.endpoint_id = c.endpoint_id JOIN messages m ON m.message_id = c.message_id
            """);
        Add(command, now, now + claimFor, limit);
        var due = new List<DueDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var message = new StoredMessage(
                reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12))
            {
                TextPurged = reader.GetBoolean(13),
                Incomplete = reader.GetBoolean(14),
                LeaseId = reader.IsDBNull(15) ? null : reader.GetString(15),
                Cursor = reader.GetInt64(16),
            };
            due.Add(new DueDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetString(5), reader.GetString(6), message, reader.GetString(17)));
        }

        return due;
    }

    public Task MarkDeliveredAsync(string deliveryId, int statusCode, DateTimeOffset now) => ExecuteAsync(
        "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL, delivered_at = $3, claimed_until = NULL WHERE delivery_id = $1",
        deliveryId, statusCode, now);

    /// <summary>Records a failed attempt: due again at <paramref name="nextAttemptAt"/>, or given up when it is null.</summary>
    public async Task MarkFailedAttemptAsync(string deliveryId, int? statusCode, string error, DateTimeOffset? nextAttemptAt)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_deliveries
            SET attempts = attempts + 1, last_status = $2, last_error = $3, claimed_until = NULL,
                status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = coalesce($4::timestamptz, next_attempt_at)
            WHERE delivery_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deliveryId });
        command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = statusCode, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = nextAttemptAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The endpoint answered 410 Gone: disable it and give up its pending deliveries (a replay sends them again once it is enabled).</summary>
    public Task MarkGoneAsync(string deliveryId, string endpointId, DateTimeOffset now) => ExecuteAsync("""
        WITH disabled AS (
            UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'the endpoint answered 410 Gone', disabled_at = $3 WHERE endpoint_id = $2 RETURNING endpoint_id
        )
        UPDATE webhook_deliveries SET status = 'failed', claimed_until = NULL,
            attempts = attempts + CASE WHEN delivery_id = $1 THEN 1 ELSE 0 END,
            last_status = CASE WHEN delivery_id = $1 THEN 410 ELSE last_status END,
            last_error = CASE WHEN delivery_id = $1 THEN '410 Gone: endpoint disabled' ELSE 'endpoint disabled (410 Gone)' END
        WHERE endpoint_id IN (SELECT endpoint_id FROM disabled) AND (delivery_id = $1 OR status = 'pending')
        """, deliveryId, endpointId, now);

    /// <summary>Deletes finished deliveries created before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> DeleteFinishedBeforeAsync(DateTimeOffset before)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1");
        Add(command, before);
        return await command.ExecuteNonQueryAsync();
    }

    private static string StatusName(WebhookDeliveryStatus status) => status.ToString().ToLowerInvariant();

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        Add(command, values);
        await command.ExecuteNonQueryAsync();
    }

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    private static async Task<IReadOnlyList<WebhookEndpoint>> ReadEndpointsAsync(NpgsqlCommand command)
    {
        var endpoints = new List<WebhookEndpoint>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            endpoints.Add(ReadEndpoint(reader));
        }

        return endpoints;
    }

    private static WebhookEndpoint ReadEndpoint(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4),
        reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6));

    private static async Task<IReadOnlyList<WebhookDelivery>> ReadDeliveriesAsync(NpgsqlCommand command)
    {
        var deliveries = new List<WebhookDelivery>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            deliveries.Add(new WebhookDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                Enum.Parse<WebhookDeliveryStatus>(reader.GetString(5), ignoreCase: true), reader.GetInt32(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return deliveries;
    }
}
