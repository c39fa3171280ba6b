using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pool.Bench.Reporting;

/// <summary>A report's tables on the console (Spectre.Console), each followed by its notes.</summary>
internal static class ConsoleReport
{
    public static void Render(BenchReport report, IAnsiConsole console)
    {
        foreach (var source in ReportTables.Of(report))
        {
            var table = new Table().Title(Markup.Escape(source.Title));
            foreach (var column in source.Columns)
            {
                var added = new TableColumn(new Text(column.Header));
                table.AddColumn(column.Figures ? added.RightAligned() : added);
            }

            if (!source.ShowHeaders)
            {
                table.HideHeaders();
            }

            foreach (var row in source.Rows)
            {
                // Cells as plain text: nothing measured is ever read as markup.
                table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
            }

            console.Write(table);
            foreach (var note in source.Notes)
            {
                console.WriteLine(note);
            }

            console.WriteLine();
        }
    }
}
