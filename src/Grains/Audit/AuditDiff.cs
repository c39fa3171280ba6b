using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pool.Grains.Audit;

/// <summary>
/// The before and after of an audit row: only the fields that changed, as JSON objects
/// (<see cref="AuditRows.Json"/>, numbers masked). A field that did not change is left out of both; a
/// record that did not exist before (or no longer exists after) is null on that side.
/// </summary>
public static class AuditDiff
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static (string? Before, string? After) Of(object? before, object? after)
    {
        if (before is null || after is null)
        {
            return (AuditRows.Json(before), AuditRows.Json(after));
        }

        var old = JsonSerializer.SerializeToNode(before, s_json) as JsonObject ?? [];
        var now = JsonSerializer.SerializeToNode(after, s_json) as JsonObject ?? [];
        var changedBefore = new JsonObject();
        var changedAfter = new JsonObject();
        foreach (var name in old.Select(p => p.Key).Union(now.Select(p => p.Key)).ToList())
        {
            var a = old[name];
            var b = now[name];
            if (!JsonNode.DeepEquals(a, b))
            {
                changedBefore[name] = a?.DeepClone();
                changedAfter[name] = b?.DeepClone();
            }
        }

        return (AuditRows.Json(changedBefore), AuditRows.Json(changedAfter));
    }
}
