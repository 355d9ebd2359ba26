using System.Net;
using System.Net.Sockets;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>
/// Reads an IP address as the API server validated it: IPv4 only as four dotted decimals (a leading zero is still
/// decimal, as Kubernetes' sloppy parser reads it), IPv6 without a zone. <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// alone would take "10.0.0" for 10.0.0.0, "1" for 0.0.0.1 and "010.0.0.1" for 8.0.0.1 (inet_aton's forms), which the
/// API never means. An IPv4-mapped IPv6 address is read as the IPv4 address, as Go reads it.
/// </summary>
internal static class IpText
{
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':'))
        {
            if (text.Contains('%') || !IPAddress.TryParse(text, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            address = v6.IsIPv4MappedToIPv6 ? v6.MapToIPv4() : v6;
            return true;
        }
        Span<byte> bytes = stackalloc byte[4];
        int part = 0;
        foreach (Range range in text.Split('.'))
        {
            ReadOnlySpan<char> digits = text[range];
            if (part == 4 || digits.Length is 0 or > 3)
            {
                return false;
            }
            int value = 0;
            foreach (char c in digits)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
                value = (value * 10) + (c - '0');
            }
            if (value > 255)
            {
                return false;
            }
            bytes[part++] = (byte)value;
        }
        if (part != 4)
        {
            return false;
        }
        address = new IPAddress(bytes);
        return true;
    }
}
