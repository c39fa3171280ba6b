using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>poolctl numbers import: a CSV file of numbers into a pool, in batches, with progress.</summary>
internal static class ImportCommand
{
    /// <summary>The most numbers AddNumbers takes in one request.</summary>
    public const int MaxBatchSize = 10_000;

    public const int DefaultBatchSize = 5_000;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static Command Create(Func<CliContext> context)
    {
        var file = new Argument<string>("file") { Description = "CSV file with the numbers in its first column ('-' reads standard input); a header row, blank lines and '#' lines are skipped." };
        var pool = new Option<string>("--pool", "-p") { Description = "Pool to import into (created if it does not exist).", Required = true };
        var country = new Option<string>("--country", "-c") { Description = "ISO country of the numbers, e.g. HK.", Required = true };
        var batchSize = WholeNumbers.WithDefault("--batch-size", "-b", DefaultBatchSize, $"Numbers per request, 1 to {MaxBatchSize}.");
        var command = new Command("import", "Import numbers from a CSV file, batch by batch; a refused batch stops the import and names its bad lines.") { file, pool, country, batchSize };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ctx = context();
            var size = parse.GetValue(batchSize);
            if (size is < 1 or > MaxBatchSize)
            {
                await ctx.Error.WriteLineAsync($"error: --batch-size {size} is out of range; use 1 to {MaxBatchSize}");
                return ExitCodes.Usage;
            }

            var path = parse.GetValue(file)!;
            var (rows, readError) = await ReadAsync(ctx, path, cancellationToken);
            if (readError is not null)
            {
                await ctx.Error.WriteLineAsync($"error: {readError}");
                return ExitCodes.Usage;
            }

            var import = new NumberImport(new Numbers.NumbersClient(ctx.Invoker), parse.GetValue(pool)!, parse.GetValue(country)!, rows, size);
            try
            {
                await RunAsync(ctx, import, cancellationToken);
            }
            catch (RpcException ex)
            {
                return await ReportFailureAsync(ctx, import, ex);
            }

            PrintTotals(ctx, import);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<(CsvNumber[] Rows, string? Error)> ReadAsync(CliContext ctx, string path, CancellationToken cancellationToken)
    {
        try
        {
            var text = path == "-"
                ? await ctx.Input.ReadToEndAsync(cancellationToken)
                : await File.ReadAllTextAsync(path, cancellationToken);
            CsvNumber[] rows = [.. CsvNumbers.Read(new StringReader(text))];
            return rows.Length == 0 ? ([], $"{path} holds no numbers") : (rows, null);
        }
        catch (FormatException ex)
        {
            return ([], $"{path}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ([], $"cannot read {path}: {ex.Message}");
        }
    }

    private static async Task RunAsync(CliContext ctx, NumberImport import, CancellationToken cancellationToken)
    {
        if (ctx.Json || !ctx.Console.Profile.Capabilities.Interactive)
        {
            await import.RunAsync(null, cancellationToken);
            return;
        }

        await ctx.Console.Progress()
            .AutoClear(false)
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"importing {import.Rows:N0} numbers", maxValue: import.Rows);
                await import.RunAsync(count => task.Increment(count), cancellationToken);
            });
    }

    private static async Task<int> ReportFailureAsync(CliContext ctx, NumberImport import, RpcException ex)
    {
        var batch = import.CurrentBatch;
        var where = $"batch {import.BatchesDone + 1} of {import.Batches} (lines {batch[0].Line}-{batch[^1].Line})";
        var badRequest = ex.StatusCode == StatusCode.InvalidArgument ? ex.GetRpcStatus()?.GetDetail<BadRequest>() : null;
        if (badRequest is { FieldViolations.Count: > 0 })
        {
            await ctx.Error.WriteLineAsync($"error: {where} was refused:");
            foreach (var complaint in NumberImport.Complaints(badRequest, batch))
            {
                await ctx.Error.WriteLineAsync(complaint);
            }
        }
        else
        {
            await ctx.Error.WriteLineAsync($"error: {where} failed:");
            await PoolCtl.ReportAsync(ex, ctx);
        }

        var before = $"{import.Imported} numbers were imported before the failure ({import.Added} added, {import.AlreadyPresent} already present, in {import.BatchesDone} batches)";
        var failed = IsDefinitive(ex.StatusCode)
            ? "the rejected batch added nothing"
            : "the failed batch may or may not have been added";
        await ctx.Error.WriteLineAsync($"{before}; {failed}. Running the import again is safe: numbers already in the pool count as already present.");
        return ExitCodes.Of(ex.StatusCode);
    }

    /// <summary>Whether the server certainly refused the batch (AddNumbers is all or nothing), rather than the call being lost.</summary>
    private static bool IsDefinitive(StatusCode code) => code is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.NotFound
        or StatusCode.AlreadyExists or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.OutOfRange or StatusCode.ResourceExhausted;

    private static void PrintTotals(CliContext ctx, NumberImport import)
    {
        var seconds = import.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? import.Imported / seconds : 0;
        if (ctx.Json)
        {
            var totals = new ImportTotals(import.Pool, import.Imported, import.Added, import.AlreadyPresent, import.BatchesDone, Math.Round(seconds, 3), Math.Round(rate, 1));
            ctx.Output.WriteLine(JsonSerializer.Serialize(totals, s_json));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        table.AddRow("pool", Markup.Escape(import.Pool));
        table.AddRow("numbers", Output.Count(import.Imported));
        table.AddRow("added", Output.Count(import.Added));
        table.AddRow("already present", Output.Count(import.AlreadyPresent));
        table.AddRow("batches", Output.Count(import.BatchesDone));
        table.AddRow("elapsed", seconds.ToString("0.00 's'", CultureInfo.InvariantCulture));
        table.AddRow("numbers/s", rate.ToString("0", CultureInfo.InvariantCulture));
        ctx.Console.Write(table);
    }

    /// <summary>The totals for scripts: {"pool","numbers","added","alreadyPresent","batches","elapsedSeconds","numbersPerSecond"}.</summary>
    private sealed record ImportTotals(string Pool, int Numbers, int Added, int AlreadyPresent, int Batches, double ElapsedSeconds, double NumbersPerSecond);
}
