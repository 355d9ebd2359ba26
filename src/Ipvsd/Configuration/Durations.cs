using System.Globalization;

namespace Ipvsd.Configuration;

/// <summary>Durations as kube-proxy's flags write them: "500ms", "30s", "2m", "1h", or combined ("1m30s").</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length == 0)
        {
            return false;
        }
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start || !long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            {
                return false;
            }
            int unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }
            TimeSpan? unit = text[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(1),
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                _ => null,
            };
            if (unit is null || number > TimeSpan.MaxValue.Ticks / unit.Value.Ticks)
            {
                return false;
            }
            value += unit.Value * number;
        }
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalSeconds >= 1 && value.Milliseconds == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalSeconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalMilliseconds}ms");
}
