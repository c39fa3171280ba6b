namespace Pool.Sms.Otp;

/// <summary>Links and e-mail addresses in a text: their digits are never a code the user types.</summary>
internal static class Links
{
    /// <summary>Adds the span of every run without spaces that holds "://", starts with "www.", or is a host with a path ("t.me/x", "bit.ly/x").</summary>
    public static void AddSpans(OtpText text, List<Range> spans)
    {
        // Every link and address has a '/', an '@' or "www.": most messages have none of them.
        var chars = text.Chars;
        if (chars.IndexOfAny('/', '@') < 0 && !text.Lower.Contains("www.", StringComparison.Ordinal))
        {
            return;
        }

        var i = 0;
        while (i < chars.Length)
        {
            while (i < chars.Length && IsSpace(chars[i]))
            {
                i++;
            }

            var start = i;
            while (i < chars.Length && !IsSpace(chars[i]))
            {
                i++;
            }

            var run = chars[start..i];
            if (run.Length > 4 && (run.Contains("://", StringComparison.Ordinal) || text.Lower[start..i].StartsWith("www.", StringComparison.Ordinal) || IsHostWithPath(run) || IsEmail(run)))
            {
                spans.Add(new Range(start, i));
            }
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\n' or '\r';

    /// <summary>"t.me/login/55667", "example.com/v?c=1": letters, a dot, letters, then '/'.</summary>
    private static bool IsHostWithPath(ReadOnlySpan<char> run)
    {
        var slash = run.IndexOf('/');
        if (slash <= 2)
        {
            return false;
        }

        var host = run[..slash];
        var dot = host.LastIndexOf('.');
        return dot > 0 && dot < host.Length - 2 && char.IsAsciiLetter(host[dot + 1]) && char.IsAsciiLetter(host[^1]) && !host.ContainsAnyExcept(s_hostChars);
    }

    private static bool IsEmail(ReadOnlySpan<char> run)
    {
        var at = run.IndexOf('@');
        return at > 0 && run[(at + 1)..].Contains('.');
    }

    private static readonly System.Buffers.SearchValues<char> s_hostChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
}
