using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netlink.Netfilter.IpSet;

/// <summary>
/// One element of a set. Which parts are set depends on the set's <see cref="IpSetType"/>; make one with the factory
/// of that type (<see cref="IpPort"/> for hash:ip,port). <see cref="ToString"/> writes it as <c>ipset</c> does:
/// <c>198.18.0.1,tcp:80</c>, <c>198.18.0.1,tcp:80,198.18.1.0/24</c>, <c>30080</c>.
/// </summary>
/// <param name="Address">The address (IPSET_ATTR_IP); null for bitmap:port.</param>
/// <param name="PrefixLength">The address's prefix length for hash:net (IPSET_ATTR_CIDR); null otherwise.</param>
/// <param name="Protocol">The transport protocol of a <c>,port</c> type (IPSET_ATTR_PROTO).</param>
/// <param name="Port">The port (IPSET_ATTR_PORT).</param>
/// <param name="Address2">The second address of hash:ip,port,ip and hash:ip,port,net (IPSET_ATTR_IP2).</param>
/// <param name="PrefixLength2">The second address's prefix length for hash:ip,port,net (IPSET_ATTR_CIDR2).</param>
public sealed record IpSetEntry(IPAddress? Address, byte? PrefixLength, ProtocolType? Protocol, ushort? Port, IPAddress? Address2, byte? PrefixLength2)
{
    /// <summary>A hash:ip element.</summary>
    public static IpSetEntry Ip(IPAddress address) => new(Required(address), null, null, null, null, null);

    /// <summary>A hash:net element.</summary>
    public static IpSetEntry Net(IPNetwork network) => new(network.BaseAddress, (byte)network.PrefixLength, null, null, null, null);

    /// <summary>A hash:ip,port element.</summary>
    public static IpSetEntry IpPort(IPAddress address, ProtocolType protocol, ushort port) => new(Required(address), null, protocol, port, null, null);

    /// <summary>A hash:ip,port,ip element.</summary>
    public static IpSetEntry IpPortIp(IPAddress address, ProtocolType protocol, ushort port, IPAddress address2) =>
        new(Required(address), null, protocol, port, Required(address2), null);

    /// <summary>A hash:ip,port,net element.</summary>
    public static IpSetEntry IpPortNet(IPAddress address, ProtocolType protocol, ushort port, IPNetwork network) =>
        new(Required(address), null, protocol, port, network.BaseAddress, (byte)network.PrefixLength);

    /// <summary>A bitmap:port element.</summary>
    public static IpSetEntry PortOnly(ushort port) => new(null, null, null, port, null, null);

    /// <summary>The element's address family: that of <see cref="Address"/>, or unspecified for a port.</summary>
    public IpSetFamily Family => Address?.AddressFamily switch
    {
        AddressFamily.InterNetwork => IpSetFamily.IPv4,
        AddressFamily.InterNetworkV6 => IpSetFamily.IPv6,
        _ => IpSetFamily.Unspecified,
    };

    /// <summary>Whether the element has the parts of <paramref name="type"/>, and no others.</summary>
    public bool Fits(IpSetType type) => type switch
    {
        IpSetType.HashIp => Address is not null && PrefixLength is null && Protocol is null && Port is null && Address2 is null,
        IpSetType.HashNet => Address is not null && Protocol is null && Port is null && Address2 is null,
        IpSetType.HashIpPort => Address is not null && PrefixLength is null && Protocol is not null && Port is not null && Address2 is null,
        IpSetType.HashIpPortIp => Address is not null && PrefixLength is null && Protocol is not null && Port is not null && Address2 is not null && PrefixLength2 is null,
        IpSetType.HashIpPortNet => Address is not null && PrefixLength is null && Protocol is not null && Port is not null && Address2 is not null,
        IpSetType.BitmapPort => Address is null && Protocol is null && Port is not null && Address2 is null,
        _ => false,
    };

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Address is not null)
        {
            text.Append(Address);
            AppendPrefix(text, Address, PrefixLength);
        }
        if (Port is { } port)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            if (Protocol is { } protocol)
            {
                text.Append(ProtocolName(protocol)).Append(':');
            }
            text.Append(port.ToString(CultureInfo.InvariantCulture));
        }
        if (Address2 is not null)
        {
            text.Append(',').Append(Address2);
            AppendPrefix(text, Address2, PrefixLength2);
        }
        return text.ToString();
    }

    /// <summary>ipset's name of a protocol: tcp, udp, sctp, udplite, icmp, icmpv6, else its number.</summary>
    public static string ProtocolName(ProtocolType protocol) => protocol switch
    {
        ProtocolType.Tcp => "tcp",
        ProtocolType.Udp => "udp",
        (ProtocolType)132 => "sctp",
        (ProtocolType)136 => "udplite",
        ProtocolType.Icmp => "icmp",
        ProtocolType.IcmpV6 => "icmpv6",
        _ => ((int)protocol).ToString(CultureInfo.InvariantCulture),
    };

    private static void AppendPrefix(StringBuilder text, IPAddress address, byte? prefix)
    {
        int host = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        // ipset leaves a host's prefix out, so the text matches `ipset save` for the same element.
        if (prefix is { } p && p != host)
        {
            text.Append('/').Append(p.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static IPAddress Required(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address;
    }
}
