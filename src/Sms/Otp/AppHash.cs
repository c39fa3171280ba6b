namespace Pool.Sms.Otp;

/// <summary>
/// The 11-character app hash Android's SMS Retriever API asks a verification SMS to end with ("FA+9qCX9VSu"):
/// it marks the message as a code's, and its characters are never the code.
/// </summary>
internal static class AppHash
{
    private const int Length = 11;

    /// <summary>Adds the span of the app hash that ends <paramref name="chars"/>, if there is one; true when there is.</summary>
    public static bool AddSpan(ReadOnlySpan<char> chars, List<Range> spans)
    {
        var end = chars.TrimEnd().Length;
        var start = end - Length;
        if (start < 1)
        {
            return false;
        }

        var hash = chars[start..end];
        if (hash.ContainsAnyExcept(s_base64) || !hash.ContainsAnyInRange('A', 'Z') || !hash.ContainsAnyInRange('a', 'z'))
        {
            return false;
        }

        // A whole word of its own, or one that a '+' or '/' shows is no word ("691582+QyYAqib1U4").
        var alone = chars[start - 1] is ' ' or '\n';
        if (!alone && hash.IndexOfAny('+', '/') < 0)
        {
            return false;
        }

        spans.Add(new Range(start, end));
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> s_base64 =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}
