namespace Netlink.Ipvs;

/// <summary>How packets reach a real server (IPVS_DEST_ATTR_FWD_METHOD, the IP_VS_CONN_F_FWD_MASK bits).</summary>
public enum ForwardingMethod : uint
{
    /// <summary>IP_VS_CONN_F_MASQ: NAT; replies must come back through the director (ipvsadm -m).</summary>
    Masquerade = 0,

    /// <summary>IP_VS_CONN_F_LOCALNODE: the director itself serves the connection.</summary>
    Local = 1,

    /// <summary>IP_VS_CONN_F_TUNNEL: encapsulate (IPIP, GUE or GRE) to the real server (ipvsadm -i).</summary>
    Tunnel = 2,

    /// <summary>IP_VS_CONN_F_DROUTE: direct routing, rewrite the MAC only (ipvsadm -g, its default).</summary>
    DirectRouting = 3,

    /// <summary>IP_VS_CONN_F_BYPASS: cache bypass.</summary>
    Bypass = 4,
}
