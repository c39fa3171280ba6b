namespace Pool.Sms.Otp;

/// <summary>
/// A read-only table of short words looked up by a character span: open addressing on an FNV-1a hash, a few
/// nanoseconds a lookup (the extractor looks up every word of every inbound SMS).
/// </summary>
internal sealed class WordTable<T>
{
    private readonly string?[] _keys;
    private readonly T[] _values;
    private readonly int _mask;

    public WordTable(IEnumerable<KeyValuePair<string, T>> entries)
    {
        var list = entries.ToList();
        var size = 16;
        while (size < list.Count * 2)
        {
            size <<= 1;
        }

        _keys = new string?[size];
        _values = new T[size];
        _mask = size - 1;
        foreach (var (key, value) in list)
        {
            var slot = Hash(key) & _mask;
            while (_keys[slot] is not null)
            {
                slot = (slot + 1) & _mask;
            }

            _keys[slot] = key;
            _values[slot] = value;
        }
    }

    public bool TryGetValue(ReadOnlySpan<char> key, out T value)
    {
        var slot = Hash(key) & _mask;
        while (_keys[slot] is { } candidate)
        {
            if (key.SequenceEqual(candidate))
            {
                value = _values[slot];
                return true;
            }

            slot = (slot + 1) & _mask;
        }

        value = default!;
        return false;
    }

    private static int Hash(ReadOnlySpan<char> key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash ^ (hash >> 15));
    }
}
