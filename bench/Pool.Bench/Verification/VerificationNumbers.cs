using System.Globalization;
using Pool.Sms.Numbers;

namespace Pool.Bench.Verification;

/// <summary>
/// The end users' numbers the verify-cycle workers verify: Hong Kong mobile numbers, each verified once,
/// spread over the number ranges so that no range of <c>PrefixDigits</c> leading digits (the silo's
/// per-prefix toll-fraud limit) gets more than its limit within the hour, and no number more than one
/// verification (the per-number limit is at least one). The silo's limits stay at their settings: the
/// plan runs out instead, after (ranges × per-prefix limit) numbers. Thread-safe.
/// </summary>
internal sealed class VerificationNumbers
{
    private const string CountryCode = "852";
    private const int NationalDigits = 8;
    private const long First = 5100_0000;
    private const long Last = 9999_9999;

    private readonly Lock _lock = new();
    private readonly IEnumerator<string> _numbers;
    private long _taken;

    /// <param name="perPrefix">The silo's per-prefix limit (verifications per hour to numbers sharing their leading digits).</param>
    /// <param name="prefixDigits">How many leading digits of the E.164 number (after '+') make a prefix.</param>
    public VerificationNumbers(int perPrefix, int prefixDigits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perPrefix, 1);
        _numbers = Plan(perPrefix, prefixDigits).GetEnumerator();
    }

    /// <summary>How many numbers were handed out.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Whether the plan ran out of numbers (every range had its limit's worth).</summary>
    public bool Exhausted { get; private set; }

    /// <summary>The next number to verify, or null when the plan has none left.</summary>
    public string? Next()
    {
        lock (_lock)
        {
            if (!_numbers.MoveNext())
            {
                Exhausted = true;
                return null;
            }

            _taken++;
            return _numbers.Current;
        }
    }

    /// <summary>
    /// Round r takes one number from each range in turn (offset r × stride into the range), so consecutive
    /// verifications go to different ranges; a candidate libphonenumber does not hold a valid Hong Kong
    /// number is skipped.
    /// </summary>
    private static IEnumerable<string> Plan(int perPrefix, int prefixDigits)
    {
        var rangeDigits = Math.Clamp(prefixDigits - CountryCode.Length, 1, NationalDigits);
        var rangeSize = (long)Math.Pow(10, NationalDigits - rangeDigits);
        var rounds = (int)Math.Min(perPrefix, rangeSize);
        var stride = Math.Max(1, rangeSize / rounds);
        for (var round = 0; round < rounds; round++)
        {
            for (var range = First / rangeSize; range <= Last / rangeSize; range++)
            {
                var national = (range * rangeSize) + (round * stride) + (stride / 2);
                if (national < First || national > Last)
                {
                    continue;
                }

                var candidate = string.Create(CultureInfo.InvariantCulture, $"+{CountryCode}{national}");
                if (E164.TryParse(candidate, out var number, out _) && E164.RegionOf(number) == "HK")
                {
                    yield return number;
                }
            }
        }
    }
}
