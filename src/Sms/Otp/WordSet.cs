namespace Pool.Sms.Otp;

/// <summary>A read-only set of lower-case words, looked up by a character span without allocating.</summary>
internal sealed class WordSet(IEnumerable<string> words)
{
    private readonly WordTable<bool> _table = new(words.Distinct(StringComparer.Ordinal).Select(w => KeyValuePair.Create(w, true)));

    public bool Contains(ReadOnlySpan<char> word) => _table.TryGetValue(word, out _);
}
