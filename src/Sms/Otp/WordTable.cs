namespace Pool.Sms.Otp;

/// <summary>
/// A read-only table of short words looked up by a character span: open addressing on a hash of the length and
/// three characters, with each slot's hash kept beside it so a miss rarely touches a key (the extractor looks up
/// every word of every inbound SMS, and most words are in no table).
/// </summary>
internal sealed class WordTable<T>
{
    private readonly int[] _hashes;
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

        _hashes = new int[size];
        _keys = new string?[size];
        _values = new T[size];
        _mask = size - 1;
        foreach (var (key, value) in list)
        {
            var hash = Hash(key);
            var slot = hash & _mask;
            while (_keys[slot] is not null)
            {
                slot = (slot + 1) & _mask;
            }

            _hashes[slot] = hash;
            _keys[slot] = key;
            _values[slot] = value;
        }
    }

    public bool TryGetValue(ReadOnlySpan<char> key, out T value)
    {
        var hash = Hash(key);
        var slot = hash & _mask;
        while (_hashes[slot] != 0)
        {
            if (_hashes[slot] == hash && key.SequenceEqual(_keys[slot]))
            {
                value = _values[slot];
                return true;
            }

            slot = (slot + 1) & _mask;
        }

        value = default!;
        return false;
    }

    /// <summary>Never 0 (an empty slot's mark).</summary>
    private static int Hash(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty)
        {
            return 1;
        }

        var hash = ((uint)key.Length * 0x9E3779B1u) ^ key[0];
        hash = (hash * 0x85EBCA77u) ^ key[key.Length >> 1];
        hash = (hash * 0xC2B2AE3Du) ^ key[^1];
        hash ^= (hash >> 13) ^ (hash >> 21);
        return (int)(hash | 1);
    }
}
