using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Netlink.Ipvs;

/// <summary>
/// What identifies a virtual service in the kernel's table: protocol, address and port
/// (IPVS_SVC_ATTR_PROTOCOL/ADDR/PORT), or a firewall mark (IPVS_SVC_ATTR_FWMARK), each with an address family
/// (IPVS_SVC_ATTR_AF).
/// </summary>
public sealed record VirtualServiceKey
{
    private VirtualServiceKey(AddressFamily family, IpvsProtocol protocol, IPAddress? address, ushort port, uint firewallMark)
    {
        Family = family;
        Protocol = protocol;
        Address = address;
        Port = port;
        FirewallMark = firewallMark;
    }

    /// <summary>IPVS_SVC_ATTR_AF: InterNetwork or InterNetworkV6.</summary>
    public AddressFamily Family { get; }

    /// <summary>IPVS_SVC_ATTR_PROTOCOL; <see cref="IpvsProtocol.None"/> for a firewall-mark service.</summary>
    public IpvsProtocol Protocol { get; }

    /// <summary>IPVS_SVC_ATTR_ADDR: the virtual IP; null for a firewall-mark service.</summary>
    public IPAddress? Address { get; }

    /// <summary>IPVS_SVC_ATTR_PORT (0 means any port, with persistence).</summary>
    public ushort Port { get; }

    /// <summary>IPVS_SVC_ATTR_FWMARK; 0 for an address service.</summary>
    public uint FirewallMark { get; }

    /// <summary>Whether the service is identified by a firewall mark.</summary>
    public bool IsFirewallMark => FirewallMark != 0;

    /// <summary>A service on <paramref name="address"/>:<paramref name="port"/> for <paramref name="protocol"/>.</summary>
    public static VirtualServiceKey ForAddress(IpvsProtocol protocol, IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (protocol is not (IpvsProtocol.Tcp or IpvsProtocol.Udp or IpvsProtocol.Sctp))
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "a virtual service's protocol is TCP, UDP or SCTP");
        }
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"address {address} is neither IPv4 nor IPv6", nameof(address));
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return new VirtualServiceKey(address.AddressFamily, protocol, address, port, 0);
    }

    /// <summary>A service matching packets with firewall mark <paramref name="mark"/> (ipvsadm -f, with -6 for IPv6).</summary>
    public static VirtualServiceKey ForFirewallMark(uint mark, AddressFamily family = AddressFamily.InterNetwork)
    {
        ArgumentOutOfRangeException.ThrowIfZero(mark);
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "a firewall-mark service is IPv4 or IPv6");
        }
        return new VirtualServiceKey(family, IpvsProtocol.None, null, 0, mark);
    }

    /// <summary>Reads like ipvsadm's listing: "TCP 198.18.0.1:80", "UDP [2001:db8::1]:53", "FWM 7" (", IPv6" for IPv6 marks).</summary>
    public override string ToString()
    {
        if (IsFirewallMark)
        {
            return Family == AddressFamily.InterNetworkV6
                ? string.Create(CultureInfo.InvariantCulture, $"FWM {FirewallMark} IPv6")
                : string.Create(CultureInfo.InvariantCulture, $"FWM {FirewallMark}");
        }
        return $"{ProtocolName(Protocol)} {EndpointText.Format(Address!, Port)}";
    }

    /// <summary>"TCP", "UDP", "SCTP".</summary>
    public static string ProtocolName(IpvsProtocol protocol) => protocol switch
    {
        IpvsProtocol.Tcp => "TCP",
        IpvsProtocol.Udp => "UDP",
        IpvsProtocol.Sctp => "SCTP",
        _ => ((ushort)protocol).ToString(CultureInfo.InvariantCulture),
    };
}
