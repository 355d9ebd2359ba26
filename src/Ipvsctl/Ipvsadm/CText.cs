using System.Globalization;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// The C library's number and address parsers exactly as ipvsadm relies on them (strtol, inet_aton, inet_pton):
/// .NET's own parsers accept and refuse different strings, and an ipvsadm script must mean the same here.
/// </summary>
internal static class CText
{
    /// <summary>ipvsadm's string_to_number: strtol base 10 over the whole string, then a range check; -1 when it fails.</summary>
    public static long ToNumber(string text, long min, long max)
    {
        if (!TryStrtol(text, out long value) || value < min || value > max)
        {
            return -1;
        }
        return value;
    }

    /// <summary>strtol(text, &amp;end, 10) that must consume the whole string (leading spaces and a sign allowed).</summary>
    public static bool TryStrtol(string text, out long value)
    {
        value = 0;
        int i = 0;
        while (i < text.Length && IsCSpace(text[i]))
        {
            i++;
        }
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            negative = text[i] == '-';
            i++;
        }
        int start = i;
        bool overflow = false;
        ulong magnitude = 0;
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            ulong next = (magnitude * 10) + (ulong)(text[i] - '0');
            if (magnitude > (ulong.MaxValue / 10) || next < magnitude)
            {
                overflow = true;
            }
            magnitude = next;
            i++;
        }
        if (i == start || i != text.Length)
        {
            return false;
        }
        // ERANGE: beyond what a 64-bit long holds.
        if (overflow || (!negative && magnitude > long.MaxValue) || (negative && magnitude > (ulong)long.MaxValue + 1))
        {
            return false;
        }
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>atoi: leading spaces, a sign, digits, then anything; 0 when there are no digits.</summary>
    public static int Atoi(string text)
    {
        int i = 0;
        while (i < text.Length && IsCSpace(text[i]))
        {
            i++;
        }
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            negative = text[i] == '-';
            i++;
        }
        long value = 0;
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            value = unchecked((value * 10) + (text[i] - '0'));
            i++;
        }
        return unchecked((int)(negative ? -value : value));
    }

    /// <summary>glibc's inet_aton: one to four parts, each decimal, octal (0...) or hex (0x...), then the end or a space.</summary>
    public static bool TryInetAton(string text, out uint address) => TryInetAton(text.AsSpan(), out address);

    /// <summary>glibc's inet_aton over a span.</summary>
    public static bool TryInetAton(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        Span<uint> parts = stackalloc uint[3];
        int partCount = 0;
        int i = 0;
        char c = At(text, i);
        ulong value;
        bool digit;
        while (true)
        {
            if (!IsDigit(c))
            {
                return false;
            }
            value = 0;
            int numberBase = 10;
            digit = false;
            if (c == '0')
            {
                c = At(text, ++i);
                if (c is 'x' or 'X')
                {
                    numberBase = 16;
                    c = At(text, ++i);
                }
                else
                {
                    numberBase = 8;
                    digit = true;
                }
            }
            while (true)
            {
                if (IsDigit(c))
                {
                    if (numberBase == 8 && c is '8' or '9')
                    {
                        return false;
                    }
                    value = (value * (ulong)numberBase) + (ulong)(c - '0');
                    c = At(text, ++i);
                    digit = true;
                }
                else if (numberBase == 16 && char.IsAsciiHexDigit(c))
                {
                    value = (value << 4) | (uint)(c + 10 - (char.IsAsciiLetterLower(c) ? 'a' : 'A'));
                    c = At(text, ++i);
                    digit = true;
                }
                else
                {
                    break;
                }
                if (value > uint.MaxValue)
                {
                    return false;
                }
            }
            if (c == '.')
            {
                if (partCount > 2 || value > 0xFF)
                {
                    return false;
                }
                parts[partCount++] = (uint)value;
                c = At(text, ++i);
            }
            else
            {
                break;
            }
        }
        if (!(c == '\0' || IsCSpace(c)) || !digit)
        {
            return false;
        }
        uint limit = partCount switch { 0 => uint.MaxValue, 1 => 0xFFFFFF, 2 => 0xFFFF, _ => 0xFF };
        if (value > limit)
        {
            return false;
        }
        uint result = (uint)value;
        for (int p = 0; p < partCount; p++)
        {
            result |= parts[p] << (24 - (8 * p));
        }
        address = result;
        return true;
    }

    /// <summary>glibc's inet_pton(AF_INET6): strict hex groups, one "::", an optional dotted IPv4 tail.</summary>
    public static bool TryInetPton6(string text, out byte[] address)
    {
        Span<byte> parsed = stackalloc byte[16];
        if (!TryInetPton6(text, parsed))
        {
            address = [];
            return false;
        }
        address = parsed.ToArray();
        return true;
    }

    private static bool TryInetPton6(string text, Span<byte> address)
    {
        address.Clear();
        int tp = 0;
        int colon = -1;
        int i = 0;
        if (At(text, i) == ':' && At(text, ++i) != ':')
        {
            return false;
        }
        int token = i;
        bool sawDigit = false;
        int digits = 0;
        uint value = 0;
        while (i < text.Length)
        {
            char ch = text[i++];
            if (char.IsAsciiHexDigit(ch))
            {
                if (++digits > 4)
                {
                    return false;
                }
                value = (value << 4) | (uint)HexValue(ch);
                sawDigit = true;
                continue;
            }
            if (ch == ':')
            {
                token = i;
                if (!sawDigit)
                {
                    if (colon >= 0)
                    {
                        return false;
                    }
                    colon = tp;
                    continue;
                }
                if (i == text.Length || tp + 2 > 16)
                {
                    return false;
                }
                address[tp++] = (byte)(value >> 8);
                address[tp++] = (byte)value;
                sawDigit = false;
                digits = 0;
                value = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16 && TryInetPton4(text.AsSpan(token), out uint v4))
            {
                address[tp++] = (byte)(v4 >> 24);
                address[tp++] = (byte)(v4 >> 16);
                address[tp++] = (byte)(v4 >> 8);
                address[tp++] = (byte)v4;
                sawDigit = false;
                i = text.Length;
                break;
            }
            return false;
        }
        if (sawDigit)
        {
            if (tp + 2 > 16)
            {
                return false;
            }
            address[tp++] = (byte)(value >> 8);
            address[tp++] = (byte)value;
        }
        if (colon >= 0)
        {
            if (tp == 16)
            {
                return false;
            }
            int moved = tp - colon;
            for (int k = 1; k <= moved; k++)
            {
                address[16 - k] = address[colon + moved - k];
                address[colon + moved - k] = 0;
            }
            tp = 16;
        }
        return tp == 16;
    }

    /// <summary>glibc's inet_pton(AF_INET): exactly four decimal parts up to 255, no leading zeros.</summary>
    public static bool TryInetPton4(string text, out uint address) => TryInetPton4(text.AsSpan(), out address);

    /// <summary>glibc's inet_pton(AF_INET) over a span.</summary>
    public static bool TryInetPton4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        int octets = 0;
        bool sawDigit = false;
        uint current = 0;
        foreach (char ch in text)
        {
            if (ch is >= '0' and <= '9')
            {
                if (sawDigit && current == 0)
                {
                    return false;
                }
                current = (current * 10) + (uint)(ch - '0');
                if (current > 255)
                {
                    return false;
                }
                if (!sawDigit)
                {
                    if (++octets > 4)
                    {
                        return false;
                    }
                    sawDigit = true;
                }
            }
            else if (ch == '.' && sawDigit)
            {
                if (octets == 4)
                {
                    return false;
                }
                address = (address << 8) | current;
                current = 0;
                sawDigit = false;
            }
            else
            {
                return false;
            }
        }
        if (octets < 4)
        {
            return false;
        }
        address = (address << 8) | current;
        return true;
    }

    /// <summary>printf's %s of a C string that may be NULL.</summary>
    public static string OrNull(string? text) => text ?? "(null)";

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static char At(ReadOnlySpan<char> text, int index) => index < text.Length ? text[index] : '\0';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
