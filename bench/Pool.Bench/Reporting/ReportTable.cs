namespace Pool.Bench.Reporting;

/// <summary>A column of a <see cref="ReportTable"/>: its header, and whether its cells are figures (right-aligned).</summary>
internal sealed record ReportColumn(string Header, bool Figures = false);

/// <summary>
/// One table of a report as plain text cells, with the lines that go under it (errors, silo warnings):
/// the console renders it with Spectre.Console, the results section of docs/benchmarks.md as Markdown,
/// from the same content.
/// </summary>
internal sealed class ReportTable(string title, params ReportColumn[] columns)
{
    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];

    public string Title => title;

    public IReadOnlyList<ReportColumn> Columns => columns;

    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Whether the header row is shown (a key-value table like the machine's has none).</summary>
    public bool ShowHeaders { get; init; } = true;

    /// <summary>Adds a row; missing cells are empty, extra cells are an error.</summary>
    public ReportTable Row(params string[] cells)
    {
        if (cells.Length > columns.Length)
        {
            throw new ArgumentException($"a row of table '{title}' has {cells.Length} cells for {columns.Length} columns", nameof(cells));
        }

        _rows.Add([.. cells, .. Enumerable.Repeat("", columns.Length - cells.Length)]);
        return this;
    }

    public ReportTable Note(string line)
    {
        _notes.Add(line);
        return this;
    }
}
