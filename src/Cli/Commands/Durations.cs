using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Pool.Cli.Commands;

/// <summary>Durations as operators type them: "90s", "20m", "2h", "1d", or "hh:mm:ss".</summary>
public static class Durations
{
    public const string Hint = "use 90s, 20m, 2h, 30d or hh:mm:ss";

    /// <summary>Parses a positive duration; with <paramref name="allowZero"/> also "0", "0s" or "00:00:00".</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TimeSpan? duration, bool allowZero = false)
    {
        duration = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (allowZero && text == "0")
        {
            duration = TimeSpan.Zero;
            return true;
        }

        var unit = text[^1];
        if (char.IsAsciiLetter(unit)
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value)
            && (value > 0 || (allowZero && value == 0)))
        {
            duration = char.ToLowerInvariant(unit) switch
            {
                's' => TimeSpan.FromSeconds(value),
                'm' => TimeSpan.FromMinutes(value),
                'h' => TimeSpan.FromHours(value),
                'd' => TimeSpan.FromDays(value),
                _ => null,
            };
            return duration is not null;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && (span > TimeSpan.Zero || (allowZero && span == TimeSpan.Zero)))
        {
            duration = span;
            return true;
        }

        return false;
    }

    /// <summary>The way operators type it back: "20m", "1h30m", "30d", "0s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (duration < TimeSpan.Zero)
        {
            text.Append('-');
            duration = duration.Negate();
        }

        Append(text, duration.Days, 'd');
        Append(text, duration.Hours, 'h');
        Append(text, duration.Minutes, 'm');
        var seconds = duration.Seconds + (duration.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        if (seconds > 0)
        {
            text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, int value, char unit)
    {
        if (value > 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
