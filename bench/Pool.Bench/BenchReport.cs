using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pool.Bench.Measurement;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pool.Bench;

/// <summary>Everything one run measured, with the machine and the settings it ran with.</summary>
internal sealed record BenchReport(
    string? Revision,
    MachineInfo Machine,
    PostgresInfo? Postgres,
    ReportedSettings Settings,
    UpsertResult? Upsert,
    CycleResult? Cycles,
    IReadOnlyList<CycleResult> Scaling,
    InboundResult? Inbound,
    OutboundResult? Outbound,
    OtpResult? Otp)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a report read by people and jq, never embedded in HTML
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Lease + release cycles per second over PostgreSQL single-row upserts per second, both measured in this run.</summary>
    public double? CyclesPerUpsert => Upsert is { OpsPerSecond: > 0 } && Cycles is not null ? Cycles.CyclesPerSecond / Upsert.OpsPerSecond : null;

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public void Render(IAnsiConsole console)
    {
        console.Write(MachineTable());
        console.WriteLine();
        if (Upsert is not null || Cycles is not null)
        {
            console.Write(ResultsTable());
            console.WriteLine();
        }

        if (Scaling.Count > 0)
        {
            console.Write(ScalingTable());
            console.WriteLine();
        }

        foreach (var result in Scaling.Prepend(Cycles).OfType<CycleResult>())
        {
            if (result.ErrorCount > 0)
            {
                console.WriteLine($"errors with a pool of {result.PoolSize:N0}: {string.Join(", ", result.Errors.Select(e => $"{e.Key} ×{e.Value:N0}"))}");
            }

            if (result.ResourceExhausted > 0)
            {
                console.WriteLine($"RESOURCE_EXHAUSTED {result.ResourceExhausted:N0} times with a pool of {result.PoolSize:N0} and {result.Workers} workers: the pool ran dry");
            }

            foreach (var line in result.SiloWarningSamples)
            {
                console.WriteLine($"silo warning (pool of {result.PoolSize:N0}): {line}");
            }
        }

        if (Inbound is { } inbound)
        {
            console.Write(InboundTable(inbound));
            console.WriteLine();
            console.Write(PostgresCommandsTable(inbound));
            console.WriteLine();
            if (inbound.ErrorCount > 0)
            {
                console.WriteLine($"inbound errors: {string.Join(", ", inbound.Errors.Select(e => $"{e.Key} ×{e.Value:N0}"))}");
            }

            foreach (var line in inbound.SiloWarningSamples)
            {
                console.WriteLine($"silo warning (inbound): {line}");
            }
        }

        if (Outbound is { } outbound)
        {
            console.Write(OutboundTable(outbound));
            console.WriteLine();
            foreach (var layer in new[] { outbound.Bind, outbound.Silo })
            {
                foreach (var line in layer.SiloWarningSamples)
                {
                    console.WriteLine($"silo warning (outbound {layer.Layer}): {line}");
                }
            }
        }

        if (Otp is { } otp)
        {
            console.Write(OtpTable(otp));
            console.WriteLine();
        }
    }

    private Table MachineTable()
    {
        var table = new Table().Title("Machine").HideHeaders().AddColumns("", "");
        Row(table, "date", Machine.Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Row(table, "processors (nproc)", Machine.Processors.ToString(CultureInfo.InvariantCulture));
        Row(table, "CPU", Machine.CpuModel);
        Row(table, "memory", $"{Machine.MemoryGiB:0.0} GiB");
        Row(table, "OS", $"{Machine.Os} ({Machine.Kernel})");
        Row(table, ".NET", $"{Machine.Dotnet}, {Machine.GarbageCollector} GC");
        if (Postgres is { } postgres)
        {
            Row(table, "PostgreSQL", postgres.Version);
            Row(table, "PostgreSQL settings", $"fsync={postgres.Fsync}, synchronous_commit={postgres.SynchronousCommit}, shared_buffers={postgres.SharedBuffers}");
        }
        else
        {
            Row(table, "PostgreSQL", "not used (no database scenario)");
        }
        if (Revision is not null)
        {
            Row(table, "revision", Revision);
        }

        return table;
    }

    private Table ResultsTable()
    {
        var table = new Table().Title("Durable writes").AddColumns("measure", "rate", "p50", "p99", "notes");
        foreach (var column in table.Columns.Skip(1).Take(3))
        {
            column.RightAligned();
        }

        if (Upsert is { } u)
        {
            Row(table,
                $"PostgreSQL upsert, {u.Connections} connections, {u.PayloadBytes} B",
                $"{u.OpsPerSecond:N0} ops/s",
                Ms(u.Latency.P50Ms),
                Ms(u.Latency.P99Ms),
                $"{u.Operations:N0} ops in {u.MeasuredSeconds:0.0} s; {u.RowVersionsStored:N0} row versions stored for {u.OperationsIncludingWarmup:N0} ops run" + Capped(u.StoppedByOperationCap));
        }

        if (Cycles is { } c)
        {
            Row(table,
                $"lease + release, pool {c.PoolSize:N0}, {c.Workers} workers",
                $"{c.CyclesPerSecond:N0} cycles/s",
                Ms(c.Cycle.P50Ms),
                Ms(c.Cycle.P99Ms),
                $"{c.Cycles:N0} cycles in {c.MeasuredSeconds:0.0} s; errors: {Errors(c)}; silo warnings: {c.SiloWarnings:N0}" + Capped(c.StoppedByOperationCap));
            Row(table, "  CreateLease", "", Ms(c.CreateLease.P50Ms), Ms(c.CreateLease.P99Ms), "");
            Row(table, "  ReleaseLease", "", Ms(c.ReleaseLease.P50Ms), Ms(c.ReleaseLease.P99Ms), "");
            Row(table,
                "  storage writes per cycle",
                $"{c.StorageWritesPerCycle:0.00}",
                "",
                "",
                $"{string.Join(", ", c.StorageWritesByState.Select(w => $"{w.Key}: {w.Value:N0}"))} over {c.CyclesIncludingWarmup:N0} cycles; state payload {c.AverageStatePayloadBytes:0} B on average");
        }

        if (CyclesPerUpsert is { } ratio && Cycles is { } cycles && Upsert is { } upsert)
        {
            Row(table,
                "cycles/s ÷ upserts/s",
                $"{ratio:0.000}",
                "",
                "",
                $"{cycles.StorageWritesPerCycle:0.0} writes per cycle: {cycles.CyclesPerSecond * cycles.StorageWritesPerCycle:N0} grain writes/s = {cycles.CyclesPerSecond * cycles.StorageWritesPerCycle / upsert.OpsPerSecond * 100:0}% of the upsert rate");
        }

        return table;
    }

    private Table ScalingTable()
    {
        var table = new Table().Title("Pool size scaling (lease + release)")
            .AddColumns("pool size", "provisioning", "cycles/s", "cycle p50", "cycle p99", "CreateLease p50 / p99", "ReleaseLease p50 / p99", "numbers leased", "errors");
        foreach (var column in table.Columns)
        {
            column.RightAligned();
        }

        foreach (var s in Scaling)
        {
            Row(table,
                $"{s.PoolSize:N0}",
                $"{s.ProvisioningSeconds:0.0} s ({s.ProvisionedNumbersPerSecond:N0}/s)",
                $"{s.CyclesPerSecond:N0}",
                Ms(s.Cycle.P50Ms),
                Ms(s.Cycle.P99Ms),
                $"{Ms(s.CreateLease.P50Ms)} / {Ms(s.CreateLease.P99Ms)}",
                $"{Ms(s.ReleaseLease.P50Ms)} / {Ms(s.ReleaseLease.P99Ms)}",
                $"{s.DistinctNumbersLeased:N0} in {s.CyclesIncludingWarmup:N0} cycles",
                Errors(s));
        }

        return table;
    }

    private static Table InboundTable(InboundResult i)
    {
        var table = new Table().Title("Inbound SMS: carrier POST → tenant")
            .AddColumns("measure", "rate", "p50", "p90", "p99", "max", "notes");
        foreach (var column in table.Columns.Skip(1).Take(5))
        {
            column.RightAligned();
        }

        Row(table,
            $"POST /carriers/…/messages answered, {i.Senders} senders",
            $"{i.MessagesPerSecond:N0} msg/s",
            Ms(i.CarrierAccept.P50Ms),
            Ms(i.CarrierAccept.P90Ms),
            Ms(i.CarrierAccept.P99Ms),
            Ms(i.CarrierAccept.MaxMs),
            $"{i.Messages:N0} messages in {i.MeasuredSeconds:0.0} s at {InboundBenchmark.Rate(i.TargetRate)} to {i.Leases:N0} leases; " +
            $"errors: {(i.ErrorCount == 0 ? "none" : i.ErrorCount.ToString("N0", CultureInfo.InvariantCulture))}; " +
            $"POSTs started late by p99 {Ms(i.SendLag.P99Ms)}, max {Ms(i.SendLag.MaxMs)}" + Capped(i.StoppedByOperationCap));
        PathRow(table, "→ WatchAllMessages stream", i.Stream, $"one stream; last cursor {i.LastCursor:N0}");
        if (i.WebhookDelivery is { } webhook)
        {
            PathRow(table, "→ webhook endpoint (loopback)", webhook, "one endpoint answering 200");
        }

        Row(table,
            "  grain state writes per message",
            $"{i.StorageWritesPerMessage:0.00}",
            "", "", "", "",
            $"{string.Join(", ", i.StorageWritesByState.Where(w => w.Value > 0).Select(w => $"{w.Key}: {w.Value:N0}"))} over {i.MessagesIncludingWarmup:N0} messages; " +
            $"silo warnings: {i.SiloWarnings:N0}");
        return table;
    }

    private static void PathRow(Table table, string name, DeliveryPath path, string notes) =>
        Row(table,
            name,
            $"{path.MessagesPerSecond:N0} msg/s",
            Ms(path.Latency.P50Ms),
            Ms(path.Latency.P90Ms),
            Ms(path.Latency.P99Ms),
            Ms(path.Latency.MaxMs),
            $"{path.Latency.Count:N0} measured; {path.ArrivedIncludingWarmup:N0} arrived with the warm-up, {path.Missing:N0} missing, {path.Unexpected:N0} unexpected; {notes}");

    private static Table OutboundTable(OutboundResult o)
    {
        var table = new Table().Title($"Outbound SMS: submit_sm over one SMPP bind, SMSC answering after {o.Bind.SmscLatencyMs:0.#} ms")
            .AddColumns("layer", "submits/s", "window ÷ latency", "p50", "p90", "p99", "max", "most submit_sm outstanding", "notes");
        foreach (var column in table.Columns.Skip(1).Take(7))
        {
            column.RightAligned();
        }

        foreach (var layer in new[] { o.Bind, o.Silo })
        {
            Row(table,
                $"{layer.Layer}, {layer.Senders} senders",
                $"{layer.SubmitsPerSecond:N0}",
                layer.CeilingPerSecond is { } ceiling ? $"{ceiling:N0}/s ({layer.ShareOfCeiling * 100:0}%)" : "-",
                Ms(layer.Latency.P50Ms),
                Ms(layer.Latency.P90Ms),
                Ms(layer.Latency.P99Ms),
                Ms(layer.Latency.MaxMs),
                $"{layer.MaxInFlightSubmits?.ToString(CultureInfo.InvariantCulture) ?? "not measured"} of window {layer.WindowSize}",
                $"{layer.Path}; window: {layer.WindowSource}; {layer.Submits:N0} accepted in {layer.MeasuredSeconds:0.0} s, {layer.Failures:N0} failed; " +
                $"outcomes over {layer.SubmitsIncludingWarmup:N0} submits with the warm-up: {string.Join(", ", layer.Outcomes.Select(e => $"{e.Key} ×{e.Value:N0}"))}" +
                (layer.SiloStartupSeconds is { } startup ? $"; silo ready in {startup:0.0} s, silo warnings: {layer.SiloWarnings:N0}" : "") +
                Capped(layer.StoppedByOperationCap));
        }

        return table;
    }

    private static Table OtpTable(OtpResult o)
    {
        var table = new Table().Title("One-time code extraction: OtpExtractor.Read over the labelled corpus, one thread")
            .AddColumns("measure", "messages/s", "corpus messages", "mean per message", "allocated per message", "notes");
        foreach (var column in table.Columns.Skip(1).Take(4))
        {
            column.RightAligned();
        }

        Row(table,
            "OtpExtractor.Read, 1 thread",
            $"{o.MessagesPerSecond:N0}",
            $"{o.CorpusMessages:N0}",
            o.MeanNsPerMessage is { } ns ? $"{ns:N0} ns" : "-",
            o.AllocatedBytesPerMessage is { } bytes ? $"{bytes:N0} B" : "-",
            $"{o.Messages:N0} messages in {o.MeasuredSeconds:0.0} s ({o.MessagesIncludingWarmup:N0} with the warm-up); " +
            $"{o.CorpusFiles} files under {o.Corpus}, a code in {o.CorpusMessagesWithCode:N0} of the {o.CorpusMessages:N0}" + Capped(o.StoppedByOperationCap));
        return table;
    }

    private static Table PostgresCommandsTable(InboundResult i)
    {
        var table = new Table().Title("PostgreSQL commands during the inbound measurement (Npgsql tracing, this process)")
            .AddColumns("command", "per message", "time per message", "p50", "p99", "count");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        var messages = Math.Max(1, i.Messages);
        var path = i.PostgresCommands.Where(c => c.Command.StartsWith(InboundResult.PathPrefix, StringComparison.Ordinal)).OrderBy(c => c.Command, StringComparer.Ordinal).ToList();
        foreach (var c in path.Concat(i.PostgresCommands.Except(path).Take(8)))
        {
            Row(table, c.Command, $"{c.Count / (double)messages:0.00}", Ms(c.TotalMs / messages), Ms(c.Latency.P50Ms), Ms(c.Latency.P99Ms), $"{c.Count:N0}");
        }

        Row(table, "on the path (1-4), in all", "", Ms(path.Sum(c => c.TotalMs) / messages), Ms(path.Sum(c => c.Latency.P50Ms ?? 0)), "", "");
        return table;
    }

    private static string Errors(CycleResult result) => result.ErrorCount == 0 ? "none" : $"{result.ErrorCount:N0}";

    private static string Capped(bool capped) => capped ? " (stopped at the operation cap)" : "";

    private static string Ms(double? milliseconds) => milliseconds switch
    {
        null => "-",
        < 10 => $"{milliseconds:0.00} ms",
        < 100 => $"{milliseconds:0.0} ms",
        _ => $"{milliseconds:0} ms",
    };

    /// <summary>Cells as plain text: nothing measured is ever read as markup.</summary>
    private static void Row(Table table, params string[] cells) =>
        table.AddRow(cells.Select(cell => (IRenderable)new Text(cell)).ToArray());
}

/// <summary>The settings of a run, as reported with its results.</summary>
internal sealed record ReportedSettings(
    double WarmupSeconds,
    double DurationSeconds,
    double ScalingDurationSeconds,
    int Connections,
    int Workers,
    int PoolSize,
    IReadOnlyList<int> ScalingSizes,
    int MaxOperations,
    int InboundMessages,
    int InboundRate,
    int InboundSenders,
    int InboundLeases,
    double InboundDurationSeconds,
    bool InboundWebhook,
    double OutboundLatencyMs,
    int OutboundWindow,
    int OutboundSenders,
    double OutboundDurationSeconds,
    double OtpDurationSeconds,
    IReadOnlyList<string> Scenarios)
{
    public static ReportedSettings Of(BenchSettings settings) => new(
        settings.Warmup.TotalSeconds,
        settings.Duration.TotalSeconds,
        settings.ScalingDuration.TotalSeconds,
        settings.Connections,
        settings.Workers,
        settings.PoolSize,
        settings.ScalingSizes,
        settings.MaxOperations,
        settings.InboundMessages,
        settings.InboundRate,
        settings.InboundSenders,
        settings.InboundLeases,
        settings.InboundDuration.TotalSeconds,
        settings.InboundWebhook,
        settings.OutboundLatency.TotalMilliseconds,
        settings.OutboundWindow,
        settings.OutboundSenders,
        settings.OutboundDuration.TotalSeconds,
        settings.OtpDuration.TotalSeconds,
        [.. settings.Scenarios.Order().Select(s => s.ToString().ToLowerInvariant())]);
}
