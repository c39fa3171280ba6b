using System.Text;

namespace Pool.Observability.Tests;

/// <summary>
/// Finds the metric names a PromQL expression selects: identifiers that are not functions or
/// aggregations (followed by '('), keywords, label names (inside braces, or in the lists of by,
/// without, on, ignoring, group_left and group_right), durations, numbers, or Grafana variables.
/// Enough PromQL to check dashboards and alert rules against a scrape; not a parser.
/// </summary>
public static class PromQl
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2",
    };

    private static readonly HashSet<string> s_labelLists = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    /// <summary>The metric names <paramref name="expression"/> selects, in order of first use.</summary>
    /// <exception cref="FormatException">Unbalanced brackets or an unterminated string.</exception>
    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var names = new List<string>();
        var text = Blank(expression);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '$')
            {
                // A Grafana variable: $name, ${name} or $__rate_interval.
                i++;
                while (i < text.Length && (IsWord(text[i]) || text[i] is '{' or '}'))
                {
                    i++;
                }
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                // A number or a duration (5m, 1h30m, 0.99, 1e3).
                while (i < text.Length && (IsWord(text[i]) || text[i] == '.'))
                {
                    i++;
                }
            }
            else if (IsWordStart(c))
            {
                var start = i;
                while (i < text.Length && IsWord(text[i]))
                {
                    i++;
                }

                var word = text[start..i];
                var next = i;
                while (next < text.Length && char.IsWhiteSpace(text[next]))
                {
                    next++;
                }

                // A function call, or an aggregation written with its grouping first: "sum by (pool) (…)".
                var call = (next < text.Length && text[next] == '(') || IsGrouping(text, next);
                if (s_labelLists.Contains(word) && call)
                {
                    i = Skip(text, next, '(', ')');
                }
                else if (!call && !s_keywords.Contains(word) && !names.Contains(word, StringComparer.Ordinal))
                {
                    names.Add(word);
                }
            }
            else
            {
                i++;
            }
        }

        return names;
    }

    /// <summary>The expression with strings, label matchers and ranges blanked out, checked for balance.</summary>
    private static string Blank(string expression)
    {
        var text = new StringBuilder(expression.Length);
        var open = new Stack<char>();
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                var end = i + 1;
                while (end < expression.Length && expression[end] != c)
                {
                    end += c != '`' && expression[end] == '\\' ? 2 : 1;
                }

                if (end >= expression.Length)
                {
                    throw new FormatException($"unterminated string at {i} in: {expression}");
                }

                text.Append(' ', end - i + 1);
                i = end;
                continue;
            }

            if (c is '(' or '[' or '{')
            {
                open.Push(c);
            }
            else if (c is ')' or ']' or '}')
            {
                var expected = c switch { ')' => '(', ']' => '[', _ => '{' };
                if (open.Count == 0 || open.Pop() != expected)
                {
                    throw new FormatException($"unbalanced '{c}' at {i} in: {expression}");
                }
            }

            // Inside braces (label matchers, ${variable}) and brackets (ranges) there are no metric names.
            var inside = open.Contains('{') || open.Contains('[') || c is '}' or ']';
            text.Append(inside && !(c == '{' && i > 0 && expression[i - 1] == '$') ? ' ' : c);
        }

        if (open.Count > 0)
        {
            throw new FormatException($"unclosed '{open.Peek()}' in: {expression}");
        }

        return text.ToString();
    }

    private static int Skip(string text, int at, char open, char close)
    {
        var depth = 0;
        for (var i = at; i < text.Length; i++)
        {
            if (text[i] == open)
            {
                depth++;
            }
            else if (text[i] == close && --depth == 0)
            {
                return i + 1;
            }
        }

        return text.Length;
    }

    private static bool IsGrouping(string text, int at)
    {
        foreach (var word in (string[])["by", "without"])
        {
            if (string.CompareOrdinal(text, at, word, 0, word.Length) == 0 && (at + word.Length == text.Length || !IsWord(text[at + word.Length])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';
}
