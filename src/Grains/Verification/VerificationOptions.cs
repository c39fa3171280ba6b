namespace Pool.Grains.Verification;

/// <summary>
/// Outbound verification (configuration section "Pool:Verification"). The two keys are base64 of 32
/// random bytes each (<c>openssl rand -base64 32</c>): <see cref="EncryptionKey"/> encrypts end users'
/// numbers and codes at rest (AES-256-GCM); <see cref="IndexKey"/> keys the hashes that index numbers
/// and check codes (HMAC-SHA256). A process with malformed keys refuses to start; a process with
/// neither key starts without outbound verification (every verification call answers Unavailable,
/// naming the settings), so silos that do not serve it need no secrets.
/// </summary>
public sealed class VerificationOptions
{
    public const string Section = "Pool:Verification";

    public string EncryptionKey { get; set; } = "";

    public string IndexKey { get; set; } = "";

    /// <summary>Verifications one destination number may receive per hour.</summary>
    public int MaxPerNumberPerHour { get; set; } = 5;

    /// <summary>Verifications per hour to numbers sharing their first <see cref="PrefixDigits"/> digits (toll-fraud guard against number-range pumping).</summary>
    public int MaxPerPrefixPerHour { get; set; } = 20;

    /// <summary>Leading digits of the E.164 number (after '+') that make a prefix for <see cref="MaxPerPrefixPerHour"/>.</summary>
    public int PrefixDigits { get; set; } = 7;

    /// <summary>Messages one verification may send (the first one included).</summary>
    public int MaxSends { get; set; } = 5;

    /// <summary>Checks one verification accepts; the last mismatch ends it as MaxAttemptsReached.</summary>
    public int MaxChecks { get; set; } = 5;

    public bool Configured => EncryptionKey.Length > 0 || IndexKey.Length > 0;

    public IEnumerable<string> Validate()
    {
        if (Configured)
        {
            foreach (var (name, value) in new[] { (nameof(EncryptionKey), EncryptionKey), (nameof(IndexKey), IndexKey) })
            {
                if (Decode(value) is null)
                {
                    yield return $"{Section}:{name} must be base64 of exactly 32 bytes (e.g. openssl rand -base64 32)";
                }
            }

            if (EncryptionKey == IndexKey)
            {
                yield return $"{Section}:EncryptionKey and {Section}:IndexKey must be different keys";
            }
        }

        if (MaxPerNumberPerHour < 1 || MaxPerPrefixPerHour < 1)
        {
            yield return $"{Section}:MaxPerNumberPerHour and {Section}:MaxPerPrefixPerHour must be at least 1";
        }

        if (PrefixDigits is < 4 or > 14)
        {
            yield return $"{Section}:PrefixDigits must be between 4 and 14";
        }

        if (MaxSends is < 1 or > 10 || MaxChecks is < 1 or > 10)
        {
            yield return $"{Section}:MaxSends and {Section}:MaxChecks must be between 1 and 10";
        }
    }

    internal static byte[]? Decode(string value)
    {
        var buffer = new byte[33];
        return Convert.TryFromBase64String(value, buffer, out var written) && written == 32 ? buffer[..32] : null;
    }
}
