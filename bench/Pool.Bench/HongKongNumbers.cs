using Pool.Sms.Numbers;

namespace Pool.Bench;

/// <summary>
/// Distinct Hong Kong mobile numbers that Pool accepts: 8-digit national numbers from 5100 0000 upwards,
/// each checked with the same validation the API applies (libphonenumber), since not every prefix is
/// allocated (+852 515x… and +852 555x… are not valid numbers, for instance).
/// </summary>
internal static class HongKongNumbers
{
    private const long First = 5100_0000;
    private const long Last = 9999_9999;

    public static string[] Take(int count)
    {
        var numbers = new string[count];
        var found = 0;
        for (var national = First; found < count && national <= Last; national++)
        {
            var candidate = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+852{national}");
            if (E164.TryParse(candidate, out var number, out _) && E164.RegionOf(number) == "HK")
            {
                numbers[found++] = number;
            }
        }

        return found == count
            ? numbers
            : throw new InvalidOperationException($"only {found} valid Hong Kong numbers between +852{First} and +852{Last}; asked for {count}");
    }
}
