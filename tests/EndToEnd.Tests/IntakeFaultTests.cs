using System.Globalization;
using Grpc.Net.Client;
using Npgsql;
using Pool.Carriers.Simulator;
using Pool.Sms.Smpp;
using Pool.Testing;
using Pool.V1;
using Xunit.Abstractions;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// The promise of carrier intake under real faults: Pool answers a deliver_sm ESME_ROK only once the cluster
/// stored it, so whatever an SMSC saw acknowledged is stored — and, with the SMSC's retries of what it did
/// not see acknowledged, stored exactly once. The SMSC runs in the test process, the silo as a child process
/// bound to it over SMPP on loopback, with several senders delivering distinct messages while the silo is
/// killed, or while its PostgreSQL is stopped.
/// </summary>
public sealed class IntakeFaultTests(ITestOutputHelper output)
{
    private const string Connection = "smsc";
    private const int MoSenders = 6;
    private const int ReceiptSenders = 2;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Every_MO_acknowledged_while_the_silo_is_killed_and_restarted_is_stored_exactly_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var smsc = StartSmsc();
        var ports = FreePorts.Take(4);
        var settings = SmppSettings(smsc.Port);
        var first = await SiloProcess.StartAsync(database, ports, settings);
        SiloProcess? second = null;
        try
        {
            var numbers = await LeaseNumbersAsync(first, MoSenders);
            await WaitForBindAsync(smsc, "Pool's ESME to bind to the SMSC");
            var traffic = new SmscTraffic(smsc, numbers);
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, MoSenders).Select(sender => Task.Run(() => traffic.SendMosAsync(sender, stop.Token))).ToList();

            await Eventually.ReturnsAsync(() => Task.FromResult(traffic.AcknowledgedMos), n => n >= 60, s_wait, "60 MO messages acknowledged before the kill");
            var killedAt = DateTimeOffset.UtcNow;
            first.Kill();
            var acknowledgedAtKill = traffic.AcknowledgedMos;
            second = await SiloProcess.StartAsync(database, ports, settings);
            await Eventually.ReturnsAsync(
                () => Task.FromResult(traffic.AcknowledgedMos), n => n >= acknowledgedAtKill + 60, s_wait, "60 more MO messages acknowledged after the restart");
            var recovered = DateTimeOffset.UtcNow - killedAt;
            await stop.CancelAsync();
            await Task.WhenAll(senders).WaitAsync(SmscTraffic.RetryBudget + s_wait);

            var deliveries = traffic.Deliveries;
            var stored = await StoredMosAsync(database.ConnectionString);
            Report("silo killed (SIGKILL) and restarted", traffic, deliveries, stored, smsc, recovered);

            AssertAcknowledgedStoredExactlyOnce("MO message", deliveries, stored);
            Assert.True(traffic.Failures.Values.Sum() > 0, "the kill cost at least one delivery attempt (the fault happened under traffic)");
            Assert.True(
                deliveries.All(d => d.Acknowledged),
                $"every MO was acknowledged in the end, by the restarted silo; given up: {deliveries.Count(d => !d.Acknowledged)}");
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_deliveries_are_answered_ESME_RX_T_APPN_and_every_acknowledged_one_is_stored_exactly_once()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        // Not dropped: it goes with the private server's files, even when the test fails while the server is down.
        var database = await TestDatabase.CreateAsync(postgres.ServerConnectionString);
        await using var smsc = StartSmsc();
        using var silo = await SiloProcess.StartAsync(database, FreePorts.Take(4), SmppSettings(smsc.Port));
        var numbers = await LeaseNumbersAsync(silo, MoSenders);
        await WaitForBindAsync(smsc, "Pool's ESME to bind to the SMSC");
        var traffic = new SmscTraffic(smsc, numbers);
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, MoSenders).Select(sender => Task.Run(() => traffic.SendMosAsync(sender, stop.Token)))
            .Concat(Enumerable.Range(0, ReceiptSenders).Select(sender => Task.Run(() => traffic.SendReceiptsAsync(sender, stop.Token))))
            .ToList();

        await Eventually.ReturnsAsync(
            () => Task.FromResult((traffic.AcknowledgedMos, traffic.AcknowledgedReceipts)),
            n => n.AcknowledgedMos >= 40 && n.AcknowledgedReceipts >= 10,
            s_wait,
            "40 MO messages and 10 receipts acknowledged before the outage");
        await postgres.StopAsync();
        var outageFrom = DateTimeOffset.UtcNow;
        // The outage lasts at least five seconds, and until the SMSC has had answers to deliveries it sent during it.
        await Eventually.ReturnsAsync(
            () => Task.FromResult((Elapsed: DateTimeOffset.UtcNow - outageFrom, Answers: AnsweredWithin(smsc, outageFrom, DateTimeOffset.MaxValue).Count)),
            o => o.Elapsed >= TimeSpan.FromSeconds(5) && o.Answers >= 10,
            s_wait,
            "five seconds of outage with at least 10 deliveries sent and answered during it");
        var outageUntil = DateTimeOffset.UtcNow;
        await postgres.StartAgainAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        var (mosAtRestart, receiptsAtRestart) = (traffic.AcknowledgedMos, traffic.AcknowledgedReceipts);
        await Eventually.ReturnsAsync(
            () => Task.FromResult((traffic.AcknowledgedMos, traffic.AcknowledgedReceipts)),
            n => n.AcknowledgedMos >= mosAtRestart + 40 && n.AcknowledgedReceipts >= receiptsAtRestart + 10,
            s_wait,
            "40 more MO messages and 10 more receipts acknowledged after PostgreSQL came back");
        var recovered = DateTimeOffset.UtcNow - restartedAt;
        await stop.CancelAsync();
        await Task.WhenAll(senders).WaitAsync(SmscTraffic.RetryBudget + s_wait);

        var deliveries = traffic.Deliveries;
        var storedMos = await StoredMosAsync(database.ConnectionString);
        var storedReceipts = await StoredReceiptsAsync(database.ConnectionString);
        Report("PostgreSQL stopped and started", traffic, deliveries, storedMos, smsc, recovered, storedReceipts);
        var duringOutage = AnsweredWithin(smsc, outageFrom, outageUntil);
        output.WriteLine($"outage: {(outageUntil - outageFrom).TotalSeconds:0.0} s; answers to deliveries sent during it: {Describe(duringOutage)}");

        Assert.True(duringOutage.Count > 0, "the SMSC had answers to deliveries it sent while PostgreSQL was down");
        Assert.True(
            duringOutage.All(a => a.CommandStatus == SmppStatus.ReceiverTemporaryError),
            $"every delivery sent while PostgreSQL was down was answered ESME_RX_T_APPN (retry later), none ESME_ROK or ESME_RX_P_APPN: {Describe(duringOutage)}");
        Assert.True(
            smsc.DeliverAnswers.All(a => a.CommandStatus is SmppStatus.Ok or SmppStatus.ReceiverTemporaryError),
            $"no delivery was ever refused for good (only ESME_ROK or ESME_RX_T_APPN): {Describe(smsc.DeliverAnswers)}");
        await WaitForBindAsync(smsc, "the bind to be up after the outage");
        AssertAcknowledgedStoredExactlyOnce("MO message", [.. deliveries.Where(d => !d.Receipt)], storedMos);
        AssertAcknowledgedStoredExactlyOnce("delivery receipt", [.. deliveries.Where(d => d.Receipt)], storedReceipts);
        Assert.True(
            deliveries.All(d => d.Acknowledged),
            $"every MO and receipt was acknowledged once PostgreSQL was back; given up: {deliveries.Count(d => !d.Acknowledged)}");
    }

    private static SmscSimulator StartSmsc()
    {
        var smsc = new SmscSimulator(new SmscSimulatorOptions { SystemId = "pool-esme", Password = "fault-pw", ResponseTimeout = TimeSpan.FromSeconds(5) });
        smsc.Start();
        return smsc;
    }

    /// <summary>One SMPP connection to the test's SMSC, reconnecting quickly after it drops.</summary>
    private static Dictionary<string, string> SmppSettings(int port) => new()
    {
        [$"Pool:Smpp:Connections:{Connection}:Host"] = "127.0.0.1",
        [$"Pool:Smpp:Connections:{Connection}:Port"] = port.ToString(CultureInfo.InvariantCulture),
        [$"Pool:Smpp:Connections:{Connection}:SystemId"] = "pool-esme",
        [$"Pool:Smpp:Connections:{Connection}:Password"] = "fault-pw",
        [$"Pool:Smpp:Connections:{Connection}:ReconnectMinBackoff"] = "00:00:00.200",
        [$"Pool:Smpp:Connections:{Connection}:ReconnectMaxBackoff"] = "00:00:01",
    };

    /// <summary>A pool of <paramref name="count"/> Hong Kong numbers, each leased, so the MO messages have a home.</summary>
    private static async Task<IReadOnlyList<string>> LeaseNumbersAsync(SiloProcess silo, int count)
    {
        using var grpc = GrpcChannel.ForAddress(silo.GrpcAddress);
        var admin = Authorized.With(grpc, silo.AdminKey);
        var (pool, numbers) = PoolFixture.NewPool(count);
        await new Numbers.NumbersClient(admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        var leases = new Leases.LeasesClient(admin);
        var leased = new List<string>();
        for (var i = 0; i < count; i++)
        {
            leased.Add((await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" })).Number);
        }

        return leased;
    }

    private static async Task WaitForBindAsync(SmscSimulator smsc, string expected) =>
        await Eventually.ReturnsAsync(() => Task.FromResult(smsc.BoundSessions), n => n == 1, s_wait, expected);

    /// <summary>Answers to deliveries the SMSC sent at or after <paramref name="from"/> and had answered by <paramref name="until"/>.</summary>
    private static List<SimulatedDeliverAnswer> AnsweredWithin(SmscSimulator smsc, DateTimeOffset from, DateTimeOffset until) =>
        [.. smsc.DeliverAnswers.Where(a => a.SentAt >= from && a.AnsweredAt <= until)];

    private static string Describe(IEnumerable<SimulatedDeliverAnswer> answers) =>
        string.Join(", ", answers.GroupBy(a => a.CommandStatus).Select(g => $"{SmppStatus.Name(g.Key)} × {g.Count()}"));

    /// <summary>
    /// Every acknowledged delivery of <paramref name="what"/> has exactly one row; no delivery has two; no row
    /// is for something the SMSC never sent.
    /// </summary>
    private static void AssertAcknowledgedStoredExactlyOnce(string what, IReadOnlyList<SmscDelivery> deliveries, Dictionary<string, StoredRows> stored)
    {
        var lost = deliveries.Where(d => d.Acknowledged && !stored.ContainsKey(d.Subject)).Select(d => d.Subject).ToList();
        var duplicated = stored.Where(s => s.Value.Count > 1).Select(s => $"{s.Key} × {s.Value.Count}").ToList();
        var unknown = stored.Keys.Except(deliveries.Select(d => d.Subject), StringComparer.Ordinal).ToList();
        Assert.True(lost.Count == 0, $"every {what} the SMSC saw acknowledged is stored; {lost.Count} are not: {string.Join("; ", lost.Take(10))}");
        Assert.True(duplicated.Count == 0, $"no {what} is stored twice, retries included; {duplicated.Count} are: {string.Join("; ", duplicated.Take(10))}");
        Assert.True(unknown.Count == 0, $"every stored {what} is one the SMSC sent; {unknown.Count} are not: {string.Join("; ", unknown.Take(10))}");
    }

    private static Task<Dictionary<string, StoredRows>> StoredMosAsync(string connectionString) =>
        StoredByAsync(connectionString, "SELECT body, count(*), min(received_at), bool_and(lease_id IS NOT NULL) FROM messages WHERE carrier = $1 GROUP BY body");

    private static Task<Dictionary<string, StoredRows>> StoredReceiptsAsync(string connectionString) =>
        StoredByAsync(connectionString, "SELECT carrier_message_id, count(*), min(received_at), true FROM status_reports WHERE connection = $1 GROUP BY carrier_message_id");

    /// <summary>
    /// The rows stored per message for the test's connection: how many, when the first was received and
    /// whether all reached their destination; read on a fresh (unpooled) session, as a pooled one may
    /// predate a server restart.
    /// </summary>
    private static async Task<Dictionary<string, StoredRows>> StoredByAsync(string connectionString, string sql)
    {
        var counts = new Dictionary<string, StoredRows>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Connection });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = new StoredRows((int)reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3));
        }

        return counts;
    }

    /// <summary>How many rows one message has, when the first was received, and whether every one reached a lease (receipts: always).</summary>
    private sealed record StoredRows(int Count, DateTimeOffset FirstReceivedAt, bool Delivered);

    private void Report(
        string fault,
        SmscTraffic traffic,
        IReadOnlyList<SmscDelivery> deliveries,
        Dictionary<string, StoredRows> storedMos,
        SmscSimulator smsc,
        TimeSpan recovered,
        Dictionary<string, StoredRows>? storedReceipts = null)
    {
        foreach (var (kind, receipt, stored) in new[] { ("MO messages", false, storedMos), ("receipts", true, storedReceipts) })
        {
            if (stored is null)
            {
                continue;
            }

            var sent = deliveries.Where(d => d.Receipt == receipt).ToList();
            // A retry that found its message already stored: an earlier attempt was stored but never acknowledged.
            var storedEarlier = sent.Count(d => d.Attempts > 1 && d.AcknowledgedAttemptAt is { } at && stored.TryGetValue(d.Subject, out var rows) && rows.FirstReceivedAt < at);
            output.WriteLine(
                $"{fault}: {kind}: sent {sent.Count}, acknowledged {sent.Count(d => d.Acknowledged)}, retried {sent.Count(d => d.Attempts > 1)} " +
                $"({sent.Sum(d => d.Attempts) - sent.Count} retries), given up {sent.Count(d => !d.Acknowledged)}, " +
                $"stored {stored.Count} (rows {stored.Values.Sum(r => r.Count)}), stored twice {stored.Count(s => s.Value.Count > 1)}, " +
                $"stored by an unacknowledged attempt before the acknowledged retry {storedEarlier}" +
                (receipt ? "" : $", delivered to a lease {stored.Count(s => s.Value.Delivered)}"));
        }

        output.WriteLine($"{fault}: failed attempts: {string.Join(", ", traffic.Failures.Select(f => $"{f.Key} × {f.Value}"))}");
        output.WriteLine($"{fault}: deliver_sm answers: {Describe(smsc.DeliverAnswers)}; binds accepted by the SMSC: {smsc.AcceptedBinds}");
        output.WriteLine($"{fault}: the traffic the test waited for after the fault flowed within {recovered.TotalSeconds:0.0} s");
    }
}
