using System.Net;
using System.Net.Sockets;

namespace Netlink;

/// <summary>
/// Linux's numbers for the address families netlink messages carry (AF_INET, AF_INET6 in linux/socket.h), which
/// differ from .NET's <see cref="AddressFamily"/> values on some platforms; one place for every protocol library.
/// </summary>
public static class LinuxAddressFamily
{
    /// <summary>AF_UNSPEC.</summary>
    public const byte Unspecified = 0;

    /// <summary>AF_INET.</summary>
    public const byte Inet = 2;

    /// <summary>AF_INET6.</summary>
    public const byte Inet6 = 10;

    /// <summary>AF_INET or AF_INET6 for an IPv4 or IPv6 family; throws <see cref="ArgumentOutOfRangeException"/> for others.</summary>
    public static byte Of(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Inet,
        AddressFamily.InterNetworkV6 => Inet6,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "netlink addresses are IPv4 or IPv6"),
    };

    /// <summary>AF_INET or AF_INET6 for <paramref name="address"/>.</summary>
    public static byte Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Of(address.AddressFamily);
    }

    /// <summary>The .NET family for AF_INET or AF_INET6; null for any other number.</summary>
    public static AddressFamily? ToAddressFamily(int family) => family switch
    {
        Inet => AddressFamily.InterNetwork,
        Inet6 => AddressFamily.InterNetworkV6,
        _ => null,
    };

    /// <summary>The bytes of an address of <paramref name="family"/> (4 or 16); 0 for any other number.</summary>
    public static int AddressLength(int family) => family switch
    {
        Inet => 4,
        Inet6 => 16,
        _ => 0,
    };
}
