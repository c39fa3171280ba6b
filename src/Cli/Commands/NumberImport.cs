using System.Diagnostics;
using System.Globalization;
using Google.Rpc;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>
/// One import of CSV rows into a pool, batch after batch. Each AddNumbers call is all or nothing, so
/// when a batch fails the batches before it stay imported and the failed one added nothing.
/// </summary>
internal sealed class NumberImport(Numbers.NumbersClient client, string requestedPool, string country, CsvNumber[] rows, int batchSize)
{
    private readonly Stopwatch _elapsed = new();
    private readonly string _requestedPool = requestedPool;

    public int Rows => rows.Length;

    public int Batches => (rows.Length + batchSize - 1) / batchSize;

    /// <summary>Batches the server accepted; also the index of the batch being sent.</summary>
    public int BatchesDone { get; private set; }

    /// <summary>Numbers of the accepted batches: added or already present.</summary>
    public int Imported { get; private set; }

    public int Added { get; private set; }

    public int AlreadyPresent { get; private set; }

    /// <summary>The pool as the server names it (it may normalise the name).</summary>
    public string Pool { get; private set; } = requestedPool;

    public TimeSpan Elapsed => _elapsed.Elapsed;

    /// <summary>The batch being sent or, after a failure, the batch that failed.</summary>
    public ArraySegment<CsvNumber> CurrentBatch => Batch(BatchesDone);

    public async Task RunAsync(Action<int>? progress, CancellationToken cancellationToken)
    {
        _elapsed.Start();
        try
        {
            while (BatchesDone < Batches)
            {
                var batch = CurrentBatch;
                var request = new AddNumbersRequest { Pool = _requestedPool, Country = country };
                request.Numbers.Add(batch.Select(row => row.Number));
                var response = await client.AddNumbersAsync(request, cancellationToken: cancellationToken);
                Pool = response.Pool;
                Added += response.Added;
                AlreadyPresent += response.AlreadyPresent.Count;
                Imported += batch.Count;
                BatchesDone++;
                progress?.Invoke(batch.Count);
            }
        }
        finally
        {
            _elapsed.Stop();
        }
    }

    /// <summary>
    /// The server's complaints about a batch, each entry numbers[i] turned back into "line N: …" of the
    /// CSV file and ordered by line; other fields are named as they are.
    /// </summary>
    public static IEnumerable<string> Complaints(BadRequest badRequest, IReadOnlyList<CsvNumber> batch)
    {
        ArgumentNullException.ThrowIfNull(badRequest);
        ArgumentNullException.ThrowIfNull(batch);
        return badRequest.FieldViolations
            .Select(violation => (Line: LineOf(violation.Field, batch), violation.Field, violation.Description))
            .OrderBy(complaint => complaint.Line ?? 0)
            .Select(complaint => complaint.Line is { } line
                ? $"line {line.ToString(CultureInfo.InvariantCulture)}: {complaint.Description}"
                : $"{complaint.Field}: {complaint.Description}");
    }

    private static int? LineOf(string field, IReadOnlyList<CsvNumber> batch)
    {
        const string Prefix = "numbers[";
        if (field.StartsWith(Prefix, StringComparison.Ordinal) && field.EndsWith(']')
            && int.TryParse(field.AsSpan(Prefix.Length, field.Length - Prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && index < batch.Count)
        {
            return batch[index].Line;
        }

        return null;
    }

    private ArraySegment<CsvNumber> Batch(int index)
    {
        var start = Math.Min(index * batchSize, rows.Length);
        return new ArraySegment<CsvNumber>(rows, start, Math.Min(batchSize, rows.Length - start));
    }
}
