using System.Text.RegularExpressions;
using Grpc.Core;

namespace Pool.Bench.Measurement;

/// <summary>
/// One worker's errors, counted by label: a call and its gRPC status as gRPC spells it
/// ("CreateLease RESOURCE_EXHAUSTED"), or a free label ("SMS POST 401"). Not thread-safe: one per worker,
/// merged at the end.
/// </summary>
internal sealed partial class ErrorCounts
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public void Add(string call, StatusCode code) => Add($"{call} {CodeName(code)}");

    public void Add(string label) => _counts[label] = _counts.GetValueOrDefault(label) + 1;

    /// <summary>Every worker's counts summed by label, in label order.</summary>
    public static SortedDictionary<string, long> Merge(IEnumerable<ErrorCounts> workers)
    {
        var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (label, count) in workers.SelectMany(w => w._counts))
        {
            merged[label] = merged.GetValueOrDefault(label) + count;
        }

        return merged;
    }

    /// <summary>RESOURCE_EXHAUSTED for <see cref="StatusCode.ResourceExhausted"/>, as gRPC spells its codes.</summary>
    public static string CodeName(StatusCode code) => UpperSnake().Replace(code.ToString(), "$1_$2").ToUpperInvariant();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex UpperSnake();
}
