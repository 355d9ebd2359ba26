using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Netlink;

/// <summary>
/// An IPv4 address as a number in host order, the way /proc files and ipvsadm print it and the IPv4 netmask is
/// kept: 198.18.0.1 is 0xC6120001. The network-order bytes are the number written big-endian.
/// </summary>
public static class Ipv4Number
{
    /// <summary>The address whose big-endian bytes are <paramref name="value"/> (0xFFFFFF00 is 255.255.255.0).</summary>
    public static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The number of an IPv4 address; throws <see cref="ArgumentException"/> for an IPv6 one.</summary>
    public static uint FromAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
