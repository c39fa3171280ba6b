using System.Text;

namespace Pool.Cli.Commands;

/// <summary>A number read from a CSV file and the line (1-based) its row starts on.</summary>
public readonly record struct CsvNumber(int Line, string Number);

/// <summary>
/// Reads the numbers of a CSV file: the number is the first cell of each row. Blank lines and lines
/// starting with '#' are skipped; so is a first row whose first cell does not look like a phone
/// number (a header such as "number"). Cells may be quoted ("..." with "" for a quote), and a quoted
/// cell may span lines. Throws <see cref="FormatException"/> naming the line of a malformed row.
/// </summary>
public static class CsvNumbers
{
    public static IEnumerable<CsvNumber> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadRows(reader);
    }

    /// <summary>"+852 5123-4567", "85251234567", "(852) 5123 4567": digits with the usual separators.</summary>
    public static bool LooksLikeAPhoneNumber(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var text = cell.AsSpan().Trim();
        if (text.StartsWith("+"))
        {
            text = text[1..];
        }

        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '/'))
            {
                return false;
            }
        }

        return digits > 0;
    }

    private static IEnumerable<CsvNumber> ReadRows(TextReader reader)
    {
        var lineNumber = 0;
        var firstRow = true;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1 && line.StartsWith('\uFEFF'))
            {
                line = line[1..];
            }

            var content = line.AsSpan().TrimStart();
            if (content.IsEmpty || content[0] == '#')
            {
                continue;
            }

            var rowLine = lineNumber;
            var number = FirstCell(reader, line, rowLine, ref lineNumber);
            if (firstRow)
            {
                firstRow = false;
                if (!LooksLikeAPhoneNumber(number))
                {
                    continue;
                }
            }

            yield return new CsvNumber(rowLine, number);
        }
    }

    /// <summary>Reads one row (more lines when a quoted cell spans them) and returns its first cell, trimmed.</summary>
    private static string FirstCell(TextReader reader, string line, int rowLine, ref int lineNumber)
    {
        var first = new StringBuilder();
        var inFirst = true;
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        line = reader.ReadLine() ?? throw new FormatException($"line {rowLine}: a quoted cell is not closed");
                        lineNumber++;
                        i = 0;
                        Append(first, inFirst, '\n');
                        continue;
                    }

                    var c = line[i++];
                    if (c != '"')
                    {
                        Append(first, inFirst, c);
                    }
                    else if (i < line.Length && line[i] == '"')
                    {
                        Append(first, inFirst, '"');
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                while (i < line.Length && line[i] != ',')
                {
                    if (!char.IsWhiteSpace(line[i]))
                    {
                        throw new FormatException($"line {lineNumber}: unexpected '{line[i]}' after a quoted cell; quote the whole cell and write \"\" for a quote inside it");
                    }

                    i++;
                }
            }
            else
            {
                var end = line.IndexOf(',', i);
                end = end < 0 ? line.Length : end;
                if (inFirst)
                {
                    first.Append(line.AsSpan(i, end - i));
                }

                i = end;
            }

            inFirst = false;
            if (i >= line.Length)
            {
                return first.ToString().Trim();
            }

            i++;
        }
    }

    private static void Append(StringBuilder cell, bool inFirst, char c)
    {
        if (inFirst)
        {
            cell.Append(c);
        }
    }
}
