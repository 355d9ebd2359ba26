namespace Netlink.Ipvs;

/// <summary>The transport protocol of a virtual service (IPVS_SVC_ATTR_PROTOCOL, an IPPROTO_* number).</summary>
public enum IpvsProtocol : ushort
{
    /// <summary>No protocol: a firewall-mark service.</summary>
    None = 0,

    /// <summary>IPPROTO_TCP.</summary>
    Tcp = 6,

    /// <summary>IPPROTO_UDP.</summary>
    Udp = 17,

    /// <summary>IPPROTO_SCTP.</summary>
    Sctp = 132,
}
