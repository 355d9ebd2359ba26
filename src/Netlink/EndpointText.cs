using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Netlink;

/// <summary>How every library writes an address with a port in messages and logs: IPv6 always in brackets.</summary>
public static class EndpointText
{
    /// <summary>"198.18.0.1:80" or "[2001:db8::1]:80".</summary>
    public static string Format(IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
    }
}
