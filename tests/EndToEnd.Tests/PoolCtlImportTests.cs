using System.Text;
using Pool.Cli;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>poolctl numbers import: a CSV file into a pool in batches, against a real Pool.</summary>
[Collection(PoolCtlTestGroup.Name)]
public sealed class PoolCtlImportTests(PoolFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("poolctl-import-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRunner.RunAsync(fixture, args);

    /// <summary>A CSV export: a header on line 1, then one number per line (row i on line i + 2), some quoted.</summary>
    private string WriteCsv(IEnumerable<string> numbers)
    {
        var csv = new StringBuilder("number,carrier,note\n");
        var i = 0;
        foreach (var number in numbers)
        {
            csv.Append(i++ % 7 == 0 ? $"\"{number}\",CSL,\"bought, in bulk\"\n" : $"{number},CSL,\n");
        }

        var path = Path.Combine(_directory, $"{Guid.NewGuid():n}.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    [Fact]
    public async Task Importing_3000_rows_in_batches_of_1000_adds_them_all_and_reports_the_totals()
    {
        var (pool, numbers) = PoolFixture.NewPool(3000);
        var file = WriteCsv(numbers);

        var imported = await RunAsync("--json", "numbers", "import", file, "--pool", pool, "--country", "HK", "--batch-size", "1000");
        var again = await RunAsync("numbers", "import", file, "-p", pool, "-c", "HK", "-b", "1000");

        Assert.Equal((0, ""), (imported.Exit, imported.Err));
        var totals = imported.Json;
        Assert.Equal(pool, totals.GetProperty("pool").GetString());
        Assert.Equal(3000, totals.GetProperty("numbers").GetInt32());
        Assert.Equal(3000, totals.GetProperty("added").GetInt32());
        Assert.Equal(0, totals.GetProperty("alreadyPresent").GetInt32());
        Assert.Equal(3, totals.GetProperty("batches").GetInt32());
        Assert.True(totals.GetProperty("elapsedSeconds").GetDouble() > 0, "the elapsed time is measured");
        Assert.True(totals.GetProperty("numbersPerSecond").GetDouble() > 0, "the rate is reported");
        Assert.Equal((0, ""), (again.Exit, again.Err));
        Assert.Matches(@"added\s*│\s*0\s", again.Out);
        Assert.Matches(@"already present\s*│\s*3000\s", again.Out);
        Assert.Matches(@"batches\s*│\s*3\s", again.Out);
        Assert.Matches(@"numbers/s\s*│\s*\d+", again.Out);
        await Eventually.ReturnsAsync(
            () => RunAsync("--json", "pools", "show", pool),
            run => run.Exit == 0 && run.Json.GetProperty("stats").GetProperty("available").GetInt32() == 3000,
            TimeSpan.FromSeconds(10),
            "the pool to hold 3000 available numbers");
    }

    [Fact]
    public async Task A_refused_batch_stops_the_import_names_its_csv_lines_and_keeps_the_batches_before_it()
    {
        var (pool, numbers) = PoolFixture.NewPool(3000);
        var rows = numbers.ToArray();
        rows[1500] = "12345";
        rows[1700] = "+6591234567";
        var file = WriteCsv(rows);

        var imported = await RunAsync("numbers", "import", file, "--pool", pool, "--country", "HK", "--batch-size", "1000");
        var fromFirstBatch = await RunAsync("--json", "numbers", "show", numbers[999]);
        var fromRefusedBatch = await RunAsync("numbers", "show", numbers[1000]);
        var fromLastBatch = await RunAsync("numbers", "show", numbers[2999]);

        Assert.Equal(ExitCodes.Usage, imported.Exit);
        Assert.Contains("batch 2 of 3 (lines 1002-2001) was refused", imported.Err, StringComparison.Ordinal);
        Assert.Contains("\nline 1502: '12345' must start with '+'", imported.Err, StringComparison.Ordinal);
        Assert.Contains("\nline 1702: ", imported.Err, StringComparison.Ordinal);
        Assert.True(imported.Err.IndexOf("line 1502", StringComparison.Ordinal) < imported.Err.IndexOf("line 1702", StringComparison.Ordinal), "bad lines are listed in file order");
        Assert.Contains("1000 numbers were imported before the failure", imported.Err, StringComparison.Ordinal);
        Assert.Contains("added nothing", imported.Err, StringComparison.Ordinal);
        Assert.Equal(0, fromFirstBatch.Exit);
        Assert.Equal(pool, fromFirstBatch.Json.GetProperty("pool").GetString());
        Assert.Equal(ExitCodes.NotFound, fromRefusedBatch.Exit);
        Assert.Equal(ExitCodes.NotFound, fromLastBatch.Exit);
    }

    [Fact]
    public async Task A_dash_reads_the_csv_from_standard_input()
    {
        var (pool, numbers) = PoolFixture.NewPool(3);

        var imported = await PoolCtlRunner.RunAsync(fixture, ["numbers", "import", "-", "-p", pool, "-c", "HK"], $"# piped\n{string.Join('\n', numbers)}\n");

        Assert.Equal((0, ""), (imported.Exit, imported.Err));
        Assert.Matches(@"added\s*│\s*3\s", imported.Out);
        Assert.Matches(@"batches\s*│\s*1\s", imported.Out);
    }

    [Fact]
    public async Task A_malformed_csv_is_refused_before_anything_is_sent()
    {
        var (pool, numbers) = PoolFixture.NewPool(2);
        var file = Path.Combine(_directory, "broken.csv");
        await File.WriteAllTextAsync(file, $"{numbers[0]}\n\"{numbers[1]}\n");

        var imported = await RunAsync("numbers", "import", file, "-p", pool, "-c", "HK");
        var first = await RunAsync("numbers", "show", numbers[0]);

        Assert.Equal(ExitCodes.Usage, imported.Exit);
        Assert.Contains("line 2: a quoted cell is not closed", imported.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, first.Exit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    public async Task A_batch_size_outside_1_to_10000_is_refused(string batchSize)
    {
        var imported = await RunAsync("numbers", "import", "-", "-p", "p", "-c", "HK", "--batch-size", batchSize);

        Assert.Equal(ExitCodes.Usage, imported.Exit);
        Assert.Contains($"--batch-size {batchSize} is out of range", imported.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_named_in_the_error()
    {
        var missing = Path.Combine(_directory, "missing.csv");

        var imported = await RunAsync("numbers", "import", missing, "-p", "p", "-c", "HK");

        Assert.Equal(ExitCodes.Usage, imported.Exit);
        Assert.Contains($"cannot read {missing}", imported.Err, StringComparison.Ordinal);
    }
}
