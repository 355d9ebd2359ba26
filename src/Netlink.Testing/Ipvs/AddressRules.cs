using System.Buffers.Binary;

namespace Netlink.Testing;

/// <summary>
/// ip_vs_new_dest's check that a new real server's address is one packets can be sent to, without a routing table:
/// for IPv4, inet_addr_type answers RTN_BROADCAST for 0.0.0.0/8 and 255.255.255.255 and RTN_MULTICAST for
/// 224.0.0.0/4 (refused), RTN_UNICAST or RTN_LOCAL otherwise; for IPv6, ipv6_addr_type must say unicast and not
/// link-local (::, ff00::/8, fe80::/10 and IPv4-mapped addresses are refused). A subnet's broadcast address, which
/// only the routing table knows, is accepted here though the kernel refuses it.
/// </summary>
internal static class AddressRules
{
    public static bool IsUsableRealServer(ushort family, UInt128 address)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, address);
        if (family != LinuxAddressFamily.Inet6)
        {
            byte first = bytes[0];
            bool broadcast = bytes[..4].SequenceEqual((ReadOnlySpan<byte>)[255, 255, 255, 255]);
            return first != 0 && !broadcast && first is < 224 or > 239;
        }
        if (bytes[0] == 0xFF || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80))
        {
            return false;
        }
        if (bytes[..10].IndexOfAnyExcept((byte)0) < 0)
        {
            bool any = bytes[10..].IndexOfAnyExcept((byte)0) < 0;
            bool mapped = bytes[10] == 0xFF && bytes[11] == 0xFF;
            return !any && !mapped;
        }
        return true;
    }
}
