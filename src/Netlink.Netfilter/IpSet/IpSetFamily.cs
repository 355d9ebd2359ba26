namespace Netlink.Netfilter.IpSet;

/// <summary>The address family of a set (NFPROTO_*): a set holds IPv4 or IPv6 elements, never both.</summary>
public enum IpSetFamily : byte
{
    /// <summary>NFPROTO_UNSPEC: for types without addresses (bitmap:port), matched from iptables and ip6tables alike.</summary>
    Unspecified = 0,

    /// <summary>NFPROTO_IPV4 (ipset's <c>family inet</c>).</summary>
    IPv4 = 2,

    /// <summary>NFPROTO_IPV6 (ipset's <c>family inet6</c>).</summary>
    IPv6 = 10,
}
