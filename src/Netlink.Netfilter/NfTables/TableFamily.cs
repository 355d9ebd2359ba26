namespace Netlink.Netfilter.NfTables;

/// <summary>The address family of a table (nfgenmsg.nfgen_family: the NFPROTO_* values of linux/netfilter.h).</summary>
public enum TableFamily : byte
{
    /// <summary>NFPROTO_INET: IPv4 and IPv6 in one table (<c>nft add table inet ...</c>).</summary>
    Inet = Codec.NfConstants.NFPROTO_INET,

    /// <summary>NFPROTO_IPV4 (<c>nft add table ip ...</c>).</summary>
    IPv4 = Codec.NfConstants.NFPROTO_IPV4,

    /// <summary>NFPROTO_ARP.</summary>
    Arp = Codec.NfConstants.NFPROTO_ARP,

    /// <summary>NFPROTO_NETDEV.</summary>
    NetDev = Codec.NfConstants.NFPROTO_NETDEV,

    /// <summary>NFPROTO_BRIDGE.</summary>
    Bridge = Codec.NfConstants.NFPROTO_BRIDGE,

    /// <summary>NFPROTO_IPV6 (<c>nft add table ip6 ...</c>).</summary>
    IPv6 = Codec.NfConstants.NFPROTO_IPV6,
}
