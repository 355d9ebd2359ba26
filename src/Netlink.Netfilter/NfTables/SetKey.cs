using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Netlink.Netfilter.NfTables;

/// <summary>
/// Builds set keys and register values in the byte layout nf_tables compares: addresses and ports in network order,
/// marks and integers in host order, concatenation fields each padded to 4 bytes.
/// </summary>
public static class SetKey
{
    /// <summary>An IPv4 or IPv6 address (ipv4_addr / ipv6_addr).</summary>
    public static byte[] Address(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.GetAddressBytes();
    }

    /// <summary>An IPv4 address; throws for IPv6.</summary>
    public static byte[] Ipv4(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        }
        return address.GetAddressBytes();
    }

    /// <summary>A port (inet_service), 2 bytes in network order.</summary>
    public static byte[] Port(ushort port)
    {
        byte[] bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    /// <summary>A transport protocol (inet_proto), 1 byte.</summary>
    public static byte[] Protocol(ProtocolType protocol) => [(byte)protocol];

    /// <summary>A 4-byte value in host order (mark, integer, numgen results).</summary>
    public static byte[] Number(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>A concatenation (<c>a . b . c</c>): the fields in order, each padded with zeros to 4 bytes.</summary>
    public static byte[] Concat(params byte[][] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        int length = fields.Sum(f => (f.Length + 3) & ~3);
        byte[] key = new byte[length];
        int at = 0;
        foreach (byte[] field in fields)
        {
            field.CopyTo(key, at);
            at += (field.Length + 3) & ~3;
        }
        return key;
    }
}
