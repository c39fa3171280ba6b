using System.Globalization;
using Pool.Bench.Measurement;

namespace Pool.Bench.Reporting;

/// <summary>The tables of a report, in the order the scenarios ran: the machine first, then one table per scenario (two for inbound: its paths and its PostgreSQL commands), each with a goal column.</summary>
internal static class ReportTables
{
    private const string Baseline = "baseline of the ratios";
    private const string NoGoal = "none set";

    public static IReadOnlyList<ReportTable> Of(BenchReport report)
    {
        var tables = new List<ReportTable> { Machine(report) };
        foreach (var scenario in report.Scenarios())
        {
            switch (scenario.Result)
            {
                case OtpResult otp:
                    tables.Add(Otp(otp, scenario));
                    break;
                case UpsertResult upsert:
                    tables.Add(Upsert(upsert));
                    break;
                case CycleResult cycles:
                    tables.Add(Cycles(cycles, scenario, report.Upsert));
                    break;
                case ScalingResult scaling:
                    tables.Add(Scaling(scaling, scenario));
                    break;
                case InboundRuns inbound:
                    tables.Add(Inbound(inbound));
                    tables.AddRange(inbound.Runs.Select(PostgresCommands));
                    break;
                case VerifyCycleResult verify:
                    tables.Add(VerifyCycle(verify, scenario));
                    break;
                case SmppSubmitResult smpp:
                    tables.Add(SmppSubmit(smpp, scenario));
                    break;
                default:
                    throw new InvalidOperationException($"no table for {scenario.Result.GetType().Name}");
            }
        }

        return tables;
    }

    private static ReportTable Machine(BenchReport report)
    {
        var m = report.Machine;
        var table = new ReportTable("Machine", new ReportColumn("machine"), new ReportColumn("")) { ShowHeaders = false }
            .Row("date", m.Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
            .Row("processors (nproc)", m.Processors.ToString(CultureInfo.InvariantCulture))
            .Row("CPU", m.CpuModel)
            .Row("memory", $"{m.MemoryGiB:0.0} GiB")
            .Row("OS", $"{m.Os} ({m.Kernel})")
            .Row(".NET", $"{m.Dotnet}, {m.GarbageCollector} GC");
        if (report.Postgres is { } postgres)
        {
            table.Row("PostgreSQL", postgres.Version)
                .Row("PostgreSQL settings", $"fsync={postgres.Fsync}, synchronous_commit={postgres.SynchronousCommit}, shared_buffers={postgres.SharedBuffers}");
        }
        else
        {
            table.Row("PostgreSQL", "not used (no database scenario)");
        }

        table.Row("revision", report.Revision ?? "not given");
        return table;
    }

    private static ReportTable Otp(OtpResult o, ScenarioReport scenario) =>
        new ReportTable(
                "otp: one-time code extraction, OtpExtractor.Read over the labelled corpus, one thread",
                new ReportColumn("measure"), new ReportColumn("messages/s", true), new ReportColumn("corpus messages", true), new ReportColumn("mean per message", true),
                new ReportColumn("allocated per message", true), new ReportColumn("goal"), new ReportColumn("notes"))
            .Row(
                "OtpExtractor.Read, 1 thread",
                $"{o.MessagesPerSecond:N0}",
                $"{o.CorpusMessages:N0}",
                o.MeanNsPerMessage is { } ns ? $"{ns:N0} ns" : "-",
                o.AllocatedBytesPerMessage is { } bytes ? $"{bytes:N0} B" : "-",
                GoalCell(scenario),
                $"{o.Messages:N0} messages in {o.MeasuredSeconds:0.0} s ({o.MessagesIncludingWarmup:N0} with the warm-up); " +
                $"{o.CorpusFiles} files under {o.Corpus}, a code in {o.CorpusMessagesWithCode:N0} of the {o.CorpusMessages:N0}" + Capped(o.StoppedByOperationCap));

    private static ReportTable Upsert(UpsertResult u) =>
        new ReportTable("upsert: PostgreSQL single-row upserts", MeasureColumns())
            .Row(
                $"PostgreSQL upsert, {u.Connections} connections, {u.PayloadBytes} B",
                $"{u.OpsPerSecond:N0} ops/s",
                Ms(u.Latency.P50Ms),
                Ms(u.Latency.P99Ms),
                Baseline,
                $"{u.Operations:N0} ops in {u.MeasuredSeconds:0.0} s; {u.RowVersionsStored:N0} row versions stored for {u.OperationsIncludingWarmup:N0} ops run" + Capped(u.StoppedByOperationCap));

    private static ReportTable Cycles(CycleResult c, ScenarioReport scenario, UpsertResult? upsert)
    {
        var table = new ReportTable("cycles: lease + release through gRPC with durable state", MeasureColumns())
            .Row(
                $"lease + release, pool {c.PoolSize:N0}, {c.Workers} workers",
                $"{c.CyclesPerSecond:N0} cycles/s",
                Ms(c.Cycle.P50Ms),
                Ms(c.Cycle.P99Ms),
                "",
                $"{c.Cycles:N0} cycles in {c.MeasuredSeconds:0.0} s; errors: {Count(c.ErrorCount)}; silo warnings: {c.SiloWarnings:N0}" + Capped(c.StoppedByOperationCap))
            .Row("  CreateLease", "", Ms(c.CreateLease.P50Ms), Ms(c.CreateLease.P99Ms))
            .Row(
                $"  SMS to the leased number (HTTP carrier POST), {c.SmsShare:0.##} of cycles",
                $"{c.SmsCycles:N0} measured",
                Ms(c.SmsPost.P50Ms),
                Ms(c.SmsPost.P99Ms),
                "",
                $"{c.SmsCyclesIncludingWarmup:N0} of {c.CyclesIncludingWarmup:N0} cycles got an SMS, warm-up included; posted between CreateLease and ReleaseLease, timed on its own")
            .Row("  ReleaseLease", "", Ms(c.ReleaseLease.P50Ms), Ms(c.ReleaseLease.P99Ms))
            .Row(
                "  storage writes per cycle",
                $"{c.StorageWritesPerCycle:0.00}",
                "",
                "",
                "",
                $"{string.Join(", ", c.StorageWritesByState.Where(w => w.Value > 0).Select(w => $"{w.Key}: {w.Value:N0}"))} over {c.CyclesIncludingWarmup:N0} cycles; " +
                $"state payload {c.AverageStatePayloadBytes:0} B on average")
            .Row(
                "  grain state statements",
                $"{c.Work.WritesPerStatement:0.0} writes, {c.Work.ReadsPerStatement:0.0} reads each",
                "",
                "",
                "",
                $"{c.Work.WriteStatements:N0} write statements carried {c.Work.StateWrites:N0} writes, {c.Work.ReadStatements:N0} read statements {c.Work.StateReads:N0} reads (measured window; group commit)")
            .Row(
                "  CPU per cycle",
                $"{c.CpuMsPerCycle:0.00} ms",
                "",
                "",
                "",
                $"{c.Work.CpuMs / 1000:0.0} s of CPU of the whole process (silo, API and the benchmark's gRPC clients) over {c.Cycles:N0} cycles; PostgreSQL's own CPU not included")
            .Row(
                "cycles/s ÷ upserts/s",
                scenario.Ratio is { } ratio ? $"{ratio:0.000}" : "-",
                "",
                "",
                GoalCell(scenario),
                scenario.Ratio is not null && upsert is not null
                    ? $"{c.CyclesPerSecond * c.StorageWritesPerCycle:N0} grain writes/s = {c.CyclesPerSecond * c.StorageWritesPerCycle / upsert.OpsPerSecond * 100:0}% of the upsert rate"
                    : "upsert not run");
        CycleNotes(table, c, "cycles");
        return table;
    }

    private static ReportTable Scaling(ScalingResult s, ScenarioReport scenario)
    {
        var table = new ReportTable(
            "scaling: lease + release by pool size (the silo runs in the bench process: its memory is the process's)",
            new ReportColumn("pool size", true), new ReportColumn("import (AddNumbers)", true), new ReportColumn("cycles/s", true),
            new ReportColumn("CreateLease p50", true), new ReportColumn($"÷ p50 at {Goals.ScalingBaseSize:N0}", true), new ReportColumn("cycle p50 / p99", true),
            new ReportColumn("RSS after / peak", true), new ReportColumn("GC pause total / max, gen2", true), new ReportColumn("errors", true), new ReportColumn("goal"));
        foreach (var point in s.Sizes)
        {
            var c = point.Cycles;
            table.Row(
                $"{point.PoolSize:N0}",
                $"{point.ImportSeconds:0.0} s ({point.ImportNumbersPerSecond:N0}/s)",
                $"{c.CyclesPerSecond:N0}",
                Ms(point.CreateLeaseP50Ms),
                point.CreateLeaseP50VsBase is { } ratio ? $"{ratio:0.00}" : "-",
                $"{Ms(c.Cycle.P50Ms)} / {Ms(c.Cycle.P99Ms)}",
                $"{Bytes(point.ResidentBytes)} / {Bytes(point.PeakResidentBytes)}{(c.Process.PeakSinceMeasurementStart ? "" : " (peak since the process started)")}",
                $"{Ms(point.Gc.PauseTotalMs)} / {Ms(point.Gc.MaxPauseMs)}, {point.Gc.Gen2Collections}",
                Count(c.ErrorCount),
                point.PoolSize == Goals.ScalingGoalSize ? "see the goal row" : "");
        }

        table.Row(
            "goal",
            "",
            "",
            "",
            s.LeaseP50Ratio is { } largest ? $"{largest:0.00}" : "-",
            "",
            "",
            "",
            "",
            string.Join("; ", scenario.Goal!.Checks.Select(CheckCell)));
        foreach (var point in s.Sizes)
        {
            var gc = point.Gc;
            table.Note(
                $"pool of {point.PoolSize:N0}: {point.Cycles.Cycles:N0} cycles in {point.Cycles.MeasuredSeconds:0.0} s, {point.Cycles.DistinctNumbersLeased:N0} distinct numbers leased in " +
                $"{point.Cycles.CyclesIncludingWarmup:N0} cycles; {point.Cycles.SmsCyclesIncludingWarmup:N0} got an SMS; silo ready in {point.Cycles.SiloStartupSeconds:0.0} s; " +
                $"GC in the measured window: {gc.Collections} collections ({gc.Gen1Collections} of gen1 or 2, {gc.Gen2Collections} of gen2), pauses {Ms(gc.PauseTotalMs)} in all, " +
                $"longest {Ms(gc.MaxPauseMs)} among the {gc.CollectionsSeen} seen; managed heap {Bytes(gc.HeapSizeBytes)} at the end");
            CycleNotes(table, point.Cycles, $"pool of {point.PoolSize:N0}");
        }

        return table;
    }

    private static ReportTable Inbound(InboundRuns inbound)
    {
        var table = new ReportTable(
            "inbound: signed SMS from the carrier endpoint to the tenant",
            new ReportColumn("measure"), new ReportColumn("rate", true), new ReportColumn("p50", true), new ReportColumn("p90", true), new ReportColumn("p99", true),
            new ReportColumn("max", true), new ReportColumn("goal"), new ReportColumn("notes"));
        foreach (var i in inbound.Runs)
        {
            table.Row(
                $"at {InboundBenchmark.Rate(i.TargetRate)}: POST /carriers/…/messages answered, {i.Senders} senders",
                $"{i.MessagesPerSecond:N0} msg/s",
                Ms(i.CarrierAccept.P50Ms),
                Ms(i.CarrierAccept.P90Ms),
                Ms(i.CarrierAccept.P99Ms),
                Ms(i.CarrierAccept.MaxMs),
                NoGoal,
                $"{i.Messages:N0} messages in {i.MeasuredSeconds:0.0} s to {i.Leases:N0} leases; errors: {Count(i.ErrorCount)}; " +
                $"POSTs started late by p99 {Ms(i.SendLag.P99Ms)}, max {Ms(i.SendLag.MaxMs)}" + Capped(i.StoppedByOperationCap));
            PathRow(table, "  → WatchAllMessages stream", i.Stream, $"one stream; last cursor {i.LastCursor:N0}");
            if (i.WebhookDelivery is { } webhook)
            {
                PathRow(table, "  → webhook endpoint (loopback)", webhook, "one endpoint answering 200");
            }

            table.Row(
                "  grain state writes per message",
                $"{i.StorageWritesPerMessage:0.00}",
                "", "", "", "", "",
                $"{string.Join(", ", i.StorageWritesByState.Where(w => w.Value > 0).Select(w => $"{w.Key}: {w.Value:N0}"))} over {i.MessagesIncludingWarmup:N0} messages; " +
                $"silo warnings: {i.SiloWarnings:N0}");
            if (i.ErrorCount > 0)
            {
                table.Note($"inbound errors at {InboundBenchmark.Rate(i.TargetRate)}: {Listed(i.Errors)}");
            }

            foreach (var line in i.SiloWarningSamples)
            {
                table.Note($"silo warning (inbound at {InboundBenchmark.Rate(i.TargetRate)}): {line}");
            }
        }

        return table;
    }

    private static ReportTable PostgresCommands(InboundResult i)
    {
        var table = new ReportTable(
            $"inbound at {InboundBenchmark.Rate(i.TargetRate)}: PostgreSQL commands in the measured window (Npgsql tracing, this process)",
            new ReportColumn("command"), new ReportColumn("per message", true), new ReportColumn("time per message", true), new ReportColumn("p50", true),
            new ReportColumn("p99", true), new ReportColumn("count", true));
        var messages = Math.Max(1, i.Messages);
        var path = i.PostgresCommands.Where(c => c.Command.StartsWith(InboundResult.PathPrefix, StringComparison.Ordinal)).OrderBy(c => c.Command, StringComparer.Ordinal).ToList();
        foreach (var c in path.Concat(i.PostgresCommands.Except(path).Take(8)))
        {
            table.Row(c.Command, $"{c.Count / (double)messages:0.00}", Ms(c.TotalMs / messages), Ms(c.Latency.P50Ms), Ms(c.Latency.P99Ms), $"{c.Count:N0}");
        }

        return table.Row("on the path (0-3), in all", "", Ms(path.Sum(c => c.TotalMs) / messages), Ms(path.Sum(c => c.Latency.P50Ms ?? 0)), "", "");
    }

    private static ReportTable VerifyCycle(VerifyCycleResult v, ScenarioReport scenario)
    {
        var table = new ReportTable("verify-cycle: StartVerification → code at the handset → CheckVerification, through gRPC and the embedded SMSC", MeasureColumns())
            .Row(
                $"verification cycle, {v.Workers} workers",
                $"{v.CyclesPerSecond:N0} cycles/s",
                Ms(v.Cycle.P50Ms),
                Ms(v.Cycle.P99Ms),
                "",
                $"{v.Cycles:N0} approved cycles in {v.MeasuredSeconds:0.0} s; errors: {Count(v.ErrorCount)}; {v.NumbersVerified:N0} numbers verified" +
                (v.StoppedByNumberPlan ? " (stopped: every number range had its per-prefix limit's worth)" : "") + $"; silo warnings: {v.SiloWarnings:N0}" + Capped(v.StoppedByOperationCap))
            .Row("  StartVerification (code sent over SMPP)", "", Ms(v.StartVerification.P50Ms), Ms(v.StartVerification.P99Ms))
            .Row("  code read at the handset", "", Ms(v.ReadCode.P50Ms), Ms(v.ReadCode.P99Ms), "", "the embedded SMSC's accepted submits, read in this process")
            .Row("  CheckVerification", "", Ms(v.CheckVerification.P50Ms), Ms(v.CheckVerification.P99Ms))
            .Row(
                "  storage writes per cycle",
                $"{v.StorageWritesPerCycle:0.00}",
                "",
                "",
                "",
                $"{string.Join(", ", v.StorageWritesByState.Where(w => w.Value > 0).Select(w => $"{w.Key}: {w.Value:N0}"))} over {v.CyclesIncludingWarmup:N0} cycles (delivery receipts included)")
            .Row(
                "verify cycles/s ÷ upserts/s",
                scenario.Ratio is { } ratio ? $"{ratio:0.000}" : "-",
                "",
                "",
                GoalCell(scenario),
                scenario.Ratio is null ? "upsert not run" : "");
        if (v.ErrorCount > 0)
        {
            table.Note($"verify-cycle errors: {Listed(v.Errors)}");
        }

        foreach (var line in v.SiloWarningSamples)
        {
            table.Note($"silo warning (verify-cycle): {line}");
        }

        return table;
    }

    private static ReportTable SmppSubmit(SmppSubmitResult o, ScenarioReport scenario)
    {
        var table = new ReportTable(
            $"smpp-submit: submit_sm over one SMPP bind, SMSC answering after {o.Bind.SmscLatencyMs:0.#} ms",
            new ReportColumn("layer"), new ReportColumn("submits/s", true), new ReportColumn("window ÷ latency", true), new ReportColumn("p50", true),
            new ReportColumn("p90", true), new ReportColumn("p99", true), new ReportColumn("max", true), new ReportColumn("most submit_sm outstanding", true),
            new ReportColumn("goal"), new ReportColumn("notes"));
        foreach (var layer in new[] { o.Bind, o.Silo })
        {
            table.Row(
                $"{layer.Layer}, {layer.Senders} senders",
                $"{layer.SubmitsPerSecond:N0}",
                layer.CeilingPerSecond is { } ceiling ? $"{ceiling:N0}/s ({layer.ShareOfCeiling * 100:0}%)" : "-",
                Ms(layer.Latency.P50Ms),
                Ms(layer.Latency.P90Ms),
                Ms(layer.Latency.P99Ms),
                Ms(layer.Latency.MaxMs),
                $"{layer.MaxInFlightSubmits?.ToString(CultureInfo.InvariantCulture) ?? "not measured"} of window {layer.WindowSize}",
                layer == o.Silo ? GoalCell(scenario) : "the ceiling of one bind",
                $"{layer.Path}; window: {layer.WindowSource}; {layer.Submits:N0} accepted in {layer.MeasuredSeconds:0.0} s, {layer.Failures:N0} failed; " +
                $"outcomes over {layer.SubmitsIncludingWarmup:N0} submits with the warm-up: {Listed(layer.Outcomes)}" +
                (layer.SiloStartupSeconds is { } startup ? $"; silo ready in {startup:0.0} s, silo warnings: {layer.SiloWarnings:N0}" : "") +
                Capped(layer.StoppedByOperationCap));
            foreach (var line in layer.SiloWarningSamples)
            {
                table.Note($"silo warning (smpp-submit {layer.Layer}): {line}");
            }
        }

        return table;
    }

    private static void CycleNotes(ReportTable table, CycleResult c, string what)
    {
        if (c.ErrorCount > 0)
        {
            table.Note($"errors ({what}): {Listed(c.Errors)}");
        }

        if (c.ResourceExhausted > 0)
        {
            table.Note(
                $"RESOURCE_EXHAUSTED {c.ResourceExhausted:N0} times ({what}, {c.Workers} workers): the pool ran dry, or the tenant was throttled (rate limit, active leases, anti-scan rule)");
        }

        foreach (var line in c.SiloWarningSamples)
        {
            table.Note($"silo warning ({what}): {line}");
        }
    }

    private static void PathRow(ReportTable table, string name, DeliveryPath path, string notes) =>
        table.Row(
            name,
            $"{path.MessagesPerSecond:N0} msg/s",
            Ms(path.Latency.P50Ms),
            Ms(path.Latency.P90Ms),
            Ms(path.Latency.P99Ms),
            Ms(path.Latency.MaxMs),
            "",
            $"{path.Latency.Count:N0} measured; {path.ArrivedIncludingWarmup:N0} arrived with the warm-up, {path.Missing:N0} missing, {path.Unexpected:N0} unexpected; {notes}");

    private static ReportColumn[] MeasureColumns() =>
        [new("measure"), new("rate", true), new("p50", true), new("p99", true), new("goal"), new("notes")];

    /// <summary>"≥ 0.33: not met (0.015)".</summary>
    private static string GoalCell(ScenarioReport scenario) =>
        scenario.Goal is { } goal ? string.Join("; ", goal.Checks.Select(CheckCell)) : NoGoal;

    private static string CheckCell(GoalCheck check) =>
        $"{check.Measure} {check.TargetText}: {Goal.Verdict(check.Met)}{(check.Value is { } value ? $" ({GoalCheck.Number(value)}{(check.Unit.Length == 0 ? "" : " " + check.Unit)})" : "")}";

    private static string Listed(IReadOnlyDictionary<string, long> counts) => string.Join(", ", counts.Select(e => $"{e.Key} ×{e.Value:N0}"));

    private static string Count(long count) => count == 0 ? "none" : count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Capped(bool capped) => capped ? " (stopped at the operation cap)" : "";

    internal static string Ms(double? milliseconds) => milliseconds switch
    {
        null => "-",
        < 10 => $"{milliseconds:0.00} ms",
        < 100 => $"{milliseconds:0.0} ms",
        _ => $"{milliseconds:0} ms",
    };

    /// <summary>"812 MB" (10⁶ bytes), "1.42 GB" (10⁹ bytes), "-" when not measured.</summary>
    internal static string Bytes(long? bytes) => bytes switch
    {
        null => "-",
        >= 1_000_000_000 => $"{bytes / 1e9:0.00} GB",
        _ => $"{bytes / 1e6:0} MB",
    };
}
