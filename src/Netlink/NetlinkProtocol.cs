namespace Netlink;

/// <summary>Netlink protocol families (the third argument of socket(AF_NETLINK, ...)).</summary>
public enum NetlinkProtocol
{
    /// <summary>NETLINK_ROUTE: links, addresses, routes.</summary>
    Route = 0,

    /// <summary>NETLINK_NETFILTER: nf_tables, conntrack.</summary>
    Netfilter = 12,

    /// <summary>NETLINK_GENERIC: generic netlink families such as IPVS.</summary>
    Generic = 16,
}
