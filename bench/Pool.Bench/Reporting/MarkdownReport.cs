using System.Globalization;
using System.Text;

namespace Pool.Bench.Reporting;

/// <summary>
/// The results of a run of <c>all</c> as Markdown, and their place in docs/benchmarks.md: everything
/// between the lines <see cref="BeginMarker"/> and <see cref="EndMarker"/> is replaced, nothing else in
/// the file changes.
/// </summary>
internal static class MarkdownReport
{
    public const string BeginMarker = "<!-- bench:results:begin -->";
    public const string EndMarker = "<!-- bench:results:end -->";

    /// <summary>The results file, relative to the repository root.</summary>
    public const string DefaultFile = "docs/benchmarks.md";

    /// <summary>The report as Markdown: where it comes from, then every table of <see cref="ReportTables"/> with its notes as a list.</summary>
    public static string Render(BenchReport report)
    {
        var text = new StringBuilder();
        var date = report.Machine.Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var settings = report.Settings;
        text.AppendLine(CultureInfo.InvariantCulture, $"Written by `pool-bench` at the end of a run of `bench/run.sh all`, {date}, {(report.Revision is { } revision ? $"revision `{revision}`" : "no revision given")};");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{settings.WarmupSeconds:0.#} s warm-up before each measurement, {settings.DurationSeconds:0.#} s measured (upsert, cycles, verify-cycle), " +
            $"{settings.ScalingDurationSeconds:0.#} s per pool size, {settings.Workers} workers. The next run of `all` replaces this section; the results below it were recorded by hand.");
        foreach (var table in ReportTables.Of(report))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"**{Cell(table.Title)}**");
            text.AppendLine();
            text.AppendLine("| " + string.Join(" | ", table.Columns.Select(c => Cell(c.Header))) + " |");
            text.AppendLine("| " + string.Join(" | ", table.Columns.Select(c => c.Figures ? "---:" : "---")) + " |");
            foreach (var row in table.Rows)
            {
                text.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
            }

            if (table.Notes.Count > 0)
            {
                text.AppendLine();
                foreach (var note in table.Notes)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {Cell(note)}");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Replaces what lies between the marker lines of <paramref name="path"/> with <paramref name="markdown"/>.
    /// Throws <see cref="InvalidOperationException"/> (naming the file) when the file or a marker line is missing,
    /// or the end marker comes before the begin marker; the file is then left as it was.
    /// </summary>
    public static void Rewrite(string path, string markdown)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"results not written: no file {path}");
        }

        var original = File.ReadAllText(path);
        var newline = original.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = original.Split(newline);
        var begin = Array.FindIndex(lines, l => l.Trim() == BeginMarker);
        var end = Array.FindIndex(lines, l => l.Trim() == EndMarker);
        if (begin < 0 || end < 0 || end < begin)
        {
            throw new InvalidOperationException(
                $"results not written: {path} needs a line {BeginMarker} and, after it, a line {EndMarker} (the results go between them)");
        }

        var body = markdown.TrimEnd().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var rewritten = lines[..(begin + 1)].Concat(body).Concat(lines[end..]);
        var temporary = path + ".pool-bench.tmp";
        File.WriteAllText(temporary, string.Join(newline, rewritten));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A table cell or list item on one line, with the characters Markdown would read escaped.</summary>
    private static string Cell(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace("*", "\\*", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal)
            .ReplaceLineEndings(" ");
}
