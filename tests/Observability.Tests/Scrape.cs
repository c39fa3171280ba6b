namespace Pool.Observability.Tests;

/// <summary>Reads the Prometheus text exposition format (version 0.0.4) as /metrics serves it.</summary>
public static class Scrape
{
    /// <summary>
    /// The name of every sample in <paramref name="text"/>: a histogram family <c>x</c> shows as
    /// <c>x_bucket</c>, <c>x_sum</c> and <c>x_count</c>, exactly the names PromQL selects.
    /// </summary>
    public static HashSet<string> SampleNames(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var end = line.IndexOfAny(['{', ' ']);
            names.Add(end < 0 ? line : line[..end]);
        }

        return names;
    }
}
