using Npgsql;
using NpgsqlTypes;
using Pool.Contracts.Inbound;
using Pool.Contracts.Routes;
using Pool.Sms.Smpp;

namespace Pool.Grains.Routes;

/// <summary>A final status report applied to its message part: the route to credit and the owner to tell.</summary>
public sealed record Settlement(long OutboundId, string RouteId, string Reference, bool Delivered);

/// <summary>What storing a status report did, and the settlement to pass on when it settled its message part.</summary>
public sealed record ReportRecording(StatusReportOutcome Outcome, long? ReportId, Settlement? Settlement);

/// <summary>The windows that tie status reports to submitted parts (see <see cref="RouteSelectionOptions"/>).</summary>
public sealed record ReportWindows(TimeSpan Match, TimeSpan Pending, TimeSpan Repeat);

/// <summary>
/// The outbound_messages and status_reports tables. A submitted part has a surrogate id, because an
/// SMSC that restarts its id counter hands out an id again; a status report is stored first, then
/// matched to the newest unsettled part with its connection and id submitted within the match window.
/// A report that finds none is pending, and the submit recorded after it claims it. Both paths take a
/// transaction-scoped advisory lock on (connection, id), so a report and its submit recorded at the
/// same moment cannot miss each other, and a part is settled once: only the transaction that moves it
/// from sent/enroute to delivered/undelivered returns a <see cref="Settlement"/>. A settled part keeps
/// when it settled and when its owner was told (<see cref="MarkOwnersToldAsync"/>), so an owner that was
/// never told is found again (<see cref="ListUntoldAsync"/>).
/// </summary>
public sealed class OutboundStore(NpgsqlDataSource dataSource)
{
    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtextextended('outbound-id/' || $1 || '/' || $2, 0))";

    /// <summary>
    /// Records the accepted parts of a message and applies the pending reports of their ids received
    /// within <see cref="ReportWindows.Pending"/> before <paramref name="submittedAt"/>, in the order
    /// received; returns the settlements that made (each to pass on once).
    /// </summary>
    public async Task<IReadOnlyList<Settlement>> RecordSentAsync(
        string connection, IReadOnlyList<string> carrierMessageIds, string routeId, string reference, DateTimeOffset submittedAt, ReportWindows windows, CancellationToken cancellationToken = default)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var keysById = carrierMessageIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, MessageIds.Keys, StringComparer.Ordinal);
        await LockAsync(db, transaction, connection, keysById.Values.SelectMany(k => k), cancellationToken);

        // One row per part, newest last: a message naming one id twice has its last part take the reports.
        var parts = new List<(long OutboundId, IReadOnlyList<string> Keys)>();
        foreach (var id in carrierMessageIds)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO outbound_messages (connection, carrier_message_id, id_keys, route_id, reference, submitted_at) " +
                "VALUES ($1, $2, $3, $4, $5, $6) RETURNING outbound_id", db, transaction);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = connection });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keysById[id]] });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = routeId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = submittedAt });
            parts.Add(((long)(await insert.ExecuteScalarAsync(cancellationToken))!, keysById[id]));
        }

        var pending = new List<(long ReportId, string[] Keys, StatusReportKind Kind, bool Final, bool Delivered, string? Error, DateTimeOffset ReceivedAt)>();
        await using (var claim = new NpgsqlCommand(
            "SELECT report_id, id_keys, kind, final, delivered, error, received_at FROM status_reports " +
            "WHERE connection = $1 AND id_keys && $2 AND outbound_id IS NULL AND received_at >= $3 - $4 " +
            "ORDER BY received_at, report_id FOR UPDATE", db, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = connection });
            claim.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keysById.Values.SelectMany(k => k).Distinct(StringComparer.Ordinal)] });
            claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = submittedAt });
            claim.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = windows.Pending });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetInt64(0), reader.GetFieldValue<string[]>(1), KindOf(reader.GetString(2)), reader.GetBoolean(3), reader.GetBoolean(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        var settlements = new List<Settlement>();
        foreach (var report in pending)
        {
            var outboundId = parts.Last(part => part.Keys.Any(report.Keys.Contains)).OutboundId;
            if (await ApplyAsync(db, transaction, outboundId, report.Kind, report.Final, report.Delivered, report.Error, report.ReceivedAt, submittedAt, cancellationToken) is { } settled)
            {
                settlements.Add(settled);
            }

            await MarkAppliedAsync(db, transaction, report.ReportId, outboundId, submittedAt, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return settlements;
    }

    /// <summary>
    /// Stores a status report and applies it to its part. A repeat is <see cref="StatusReportOutcome.Duplicate"/>
    /// and stores nothing: a report stored before with the same connection, id, kind and state, received
    /// less than <see cref="ReportWindows.Repeat"/> apart, and with no other part submitted under that id
    /// since (an SMSC reusing the id makes the same words a report on another message). A report that
    /// matches a part is <see cref="StatusReportOutcome.Recorded"/>: a final delivery receipt settles
    /// it; an intermediate notification or a non-final receipt marks it enroute; an SME acknowledgement
    /// changes nothing on it. One that matches none is <see cref="StatusReportOutcome.Pending"/>.
    /// </summary>
    public async Task<ReportRecording> RecordReportAsync(StatusReport report, ReportWindows windows, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var keys = MessageIds.Keys(report.CarrierMessageId);
        await LockAsync(db, transaction, report.Connection, keys, cancellationToken);

        // A report that names no message is never a repeat: reports without ids say different things.
        await using (var repeat = new NpgsqlCommand(
            "SELECT r.report_id FROM status_reports r " +
            "WHERE r.connection = $1 AND r.carrier_message_id = $2 AND r.kind = $3 AND r.state = $4 AND r.received_at > $5 - $6 AND r.received_at < $5 + $6 " +
            "AND NOT EXISTS (SELECT 1 FROM outbound_messages o WHERE o.connection = r.connection AND o.carrier_message_id = r.carrier_message_id " +
            "AND o.submitted_at > r.received_at AND o.outbound_id IS DISTINCT FROM r.outbound_id) LIMIT 1", db, transaction))
        {
            repeat.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Connection });
            repeat.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.CarrierMessageId });
            repeat.Parameters.Add(new NpgsqlParameter<string> { TypedValue = KindName(report.Kind) });
            repeat.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.State });
            repeat.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = report.ReceivedAt });
            repeat.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = windows.Repeat });
            if (keys.Count > 0 && await repeat.ExecuteScalarAsync(cancellationToken) is long earlier)
            {
                await transaction.CommitAsync(cancellationToken);
                return new ReportRecording(StatusReportOutcome.Duplicate, earlier, null);
            }
        }

        long? outboundId = null;
        await using (var match = new NpgsqlCommand(
            "SELECT outbound_id FROM outbound_messages WHERE connection = $1 AND id_keys && $2 AND status IN ('sent', 'enroute') " +
            "AND submitted_at >= $3 - $4 ORDER BY submitted_at DESC, outbound_id DESC LIMIT 1 FOR UPDATE", db, transaction))
        {
            match.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Connection });
            match.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys] });
            match.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = report.ReceivedAt });
            match.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = windows.Match });
            outboundId = await match.ExecuteScalarAsync(cancellationToken) as long?;
        }

        long reportId;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO status_reports (connection, carrier_message_id, kind, state, final, delivered, error, received_at, outbound_id, applied_at, id_keys) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING report_id", db, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Connection });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.CarrierMessageId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = KindName(report.Kind) });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.State });
            insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = report.Final });
            insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = report.Delivered });
            insert.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = report.Error, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = report.ReceivedAt });
            insert.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = outboundId, NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = outboundId is null ? null : now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys] });
            reportId = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        Settlement? settlement = null;
        if (outboundId is { } id)
        {
            settlement = await ApplyAsync(db, transaction, id, report.Kind, report.Final, report.Delivered, report.Error, report.ReceivedAt, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ReportRecording(outboundId is null ? StatusReportOutcome.Pending : StatusReportOutcome.Recorded, reportId, settlement);
    }

    /// <summary>The largest page <see cref="ListReportsAsync"/> returns.</summary>
    public const int MaxReportPage = 500;

    /// <summary>Stored status reports, newest first: pending ones only when <paramref name="pendingOnly"/>, of one connection when given.</summary>
    public async Task<IReadOnlyList<StoredStatusReport>> ListReportsAsync(string? connection, bool pendingOnly, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT report_id, connection, carrier_message_id, kind, state, final, delivered, error, received_at, outbound_id, applied_at FROM status_reports " +
            "WHERE ($1::text IS NULL OR connection = $1) AND (NOT $2 OR outbound_id IS NULL) ORDER BY received_at DESC, report_id DESC LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = connection, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = pendingOnly });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Clamp(limit, 1, MaxReportPage) });
        var reports = new List<StoredStatusReport>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var report = new StatusReport(
                reader.GetString(1), reader.GetString(2), KindOf(reader.GetString(3)), reader.GetString(4), reader.GetBoolean(5), reader.GetBoolean(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8));
            reports.Add(new StoredStatusReport(
                reader.GetInt64(0), report, reader.IsDBNull(9) ? null : reader.GetInt64(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return reports;
    }

    /// <summary>
    /// Settled parts whose owner was not told, settled before <paramref name="settledBefore"/>, oldest
    /// first, at most <paramref name="limit"/>: the settlements to pass on again.
    /// </summary>
    public async Task<IReadOnlyList<Settlement>> ListUntoldAsync(DateTimeOffset settledBefore, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT outbound_id, route_id, reference, status = 'delivered' FROM outbound_messages " +
            "WHERE settled_at IS NOT NULL AND owner_notified_at IS NULL AND settled_at < $1 ORDER BY settled_at, outbound_id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = settledBefore });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var untold = new List<Settlement>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            untold.Add(new Settlement(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        }

        return untold;
    }

    /// <summary>Records that the owners of these settled parts were told; a part marked before keeps its first time.</summary>
    public async Task MarkOwnersToldAsync(IReadOnlyCollection<long> outboundIds, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (outboundIds.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            "UPDATE outbound_messages SET owner_notified_at = $2 WHERE outbound_id = ANY ($1) AND settled_at IS NOT NULL AND owner_notified_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. outboundIds] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether a report of this kind settles its part: a final delivery receipt does; notifications and acknowledgements never do.</summary>
    public static bool Settles(StatusReportKind kind, bool final) => kind == StatusReportKind.DeliveryReceipt && final;

    private static async Task<Settlement?> ApplyAsync(
        NpgsqlConnection db, NpgsqlTransaction transaction, long outboundId, StatusReportKind kind, bool final, bool delivered, string? error, DateTimeOffset receivedAt, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (kind == StatusReportKind.SmeAcknowledgement)
        {
            return null; // The recipient acknowledged: recorded with the report, the part's delivery status is the receipt's to set.
        }

        if (!Settles(kind, final))
        {
            await using var enroute = new NpgsqlCommand("UPDATE outbound_messages SET status = 'enroute' WHERE outbound_id = $1 AND status = 'sent'", db, transaction);
            enroute.Parameters.Add(new NpgsqlParameter<long> { TypedValue = outboundId });
            await enroute.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }

        await using var settle = new NpgsqlCommand(
            "UPDATE outbound_messages SET status = $2, error = $3, receipt_at = $4, settled_at = $5 WHERE outbound_id = $1 AND status IN ('sent', 'enroute') RETURNING route_id, reference",
            db, transaction);
        settle.Parameters.Add(new NpgsqlParameter<long> { TypedValue = outboundId });
        settle.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivered ? "delivered" : "undelivered" });
        settle.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = error, NpgsqlDbType = NpgsqlDbType.Text });
        settle.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = receivedAt });
        settle.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await using var reader = await settle.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Settlement(outboundId, reader.GetString(0), reader.GetString(1), delivered) : null;
    }

    private static async Task MarkAppliedAsync(NpgsqlConnection db, NpgsqlTransaction transaction, long reportId, long outboundId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var mark = new NpgsqlCommand("UPDATE status_reports SET outbound_id = $2, applied_at = $3 WHERE report_id = $1", db, transaction);
        mark.Parameters.Add(new NpgsqlParameter<long> { TypedValue = reportId });
        mark.Parameters.Add(new NpgsqlParameter<long> { TypedValue = outboundId });
        mark.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        await mark.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Locks every key of the ids at hand (sorted, so two transactions never wait on each other in a
    /// cycle): a report and a submit whose ids share a key — the same message in two forms — take turns.
    /// </summary>
    private static async Task LockAsync(NpgsqlConnection db, NpgsqlTransaction transaction, string connection, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await using var command = new NpgsqlCommand(LockSql, db, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = connection });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string KindName(StatusReportKind kind) => kind switch
    {
        StatusReportKind.DeliveryReceipt => "delivery_receipt",
        StatusReportKind.IntermediateNotification => "intermediate_notification",
        StatusReportKind.SmeAcknowledgement => "sme_acknowledgement",
        StatusReportKind.ConversationAbort => "conversation_abort",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown status report kind"),
    };

    private static StatusReportKind KindOf(string name) => name switch
    {
        "intermediate_notification" => StatusReportKind.IntermediateNotification,
        "sme_acknowledgement" => StatusReportKind.SmeAcknowledgement,
        "conversation_abort" => StatusReportKind.ConversationAbort,
        _ => StatusReportKind.DeliveryReceipt,
    };
}
