namespace Pool.Sms.Otp;

/// <summary>
/// A read-only table of short words looked up by a character span: open addressing on a hash of the length and
/// three characters, a few nanoseconds a lookup (the extractor looks up every word of every inbound SMS).
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
        if (key.IsEmpty)
        {
            return 0;
        }

        var hash = ((uint)key.Length * 0x9E3779B1u) ^ key[0];
        hash = (hash * 0x85EBCA77u) ^ key[key.Length >> 1];
        hash = (hash * 0xC2B2AE3Du) ^ key[^1];
        return (int)(hash ^ (hash >> 13) ^ (hash >> 21));
    }
}
