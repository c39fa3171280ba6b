using System.Collections.Concurrent;

namespace Pool.Carriers.Http;

/// <summary>Signatures seen within the timestamp window, per process, so a captured request cannot be replayed.</summary>
public sealed class ReplayGuard
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public bool FirstUse(string signature, DateTimeOffset now)
    {
        if (_seen.Count > 10_000)
        {
            foreach (var (key, at) in _seen)
            {
                if (now - at > CarrierIngressOptions.TimestampWindow * 2)
                {
                    _seen.TryRemove(key, out _);
                }
            }
        }

        return _seen.TryAdd(signature, now);
    }

    /// <summary>
    /// Gives a signature back when its request was answered "send it again" (503: nothing stored), so the
    /// carrier's identical retry is not refused as a replay.
    /// </summary>
    public void Release(string signature) => _seen.TryRemove(signature, out _);
}
