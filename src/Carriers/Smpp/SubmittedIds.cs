using Pool.Sms.Smpp;

namespace Pool.Carriers.Smpp;

/// <summary>
/// The ids submit_sm_resp gave recently, indexed by every form a receipt may use (<see cref="MessageIds.Keys"/>),
/// so a receipt finds its message whether it writes the id in hex or decimal. Bounded: the oldest ids are forgotten first.
/// </summary>
internal sealed class SubmittedIds(int capacity)
{
    private readonly Dictionary<string, string> _byKey = [];
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public void Add(string messageId)
    {
        lock (_lock)
        {
            if (_order.Count >= capacity && _order.TryDequeue(out var oldest))
            {
                foreach (var key in MessageIds.Keys(oldest))
                {
                    if (_byKey.TryGetValue(key, out var id) && id == oldest)
                    {
                        _byKey.Remove(key);
                    }
                }
            }

            _order.Enqueue(messageId);
            foreach (var key in MessageIds.Keys(messageId))
            {
                _byKey[key] = messageId;
            }
        }
    }

    /// <summary>The submitted id <paramref name="receiptedId"/> names, preferring an exact match over a numeric one.</summary>
    public string? Find(string receiptedId)
    {
        lock (_lock)
        {
            foreach (var key in MessageIds.Keys(receiptedId))
            {
                if (_byKey.TryGetValue(key, out var id))
                {
                    return id;
                }
            }

            return null;
        }
    }
}
