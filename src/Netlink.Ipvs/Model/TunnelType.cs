namespace Netlink.Ipvs;

/// <summary>Encapsulation for <see cref="ForwardingMethod.Tunnel"/> (IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_*).</summary>
public enum TunnelType : byte
{
    /// <summary>IP_VS_CONN_F_TUNNEL_TYPE_IPIP: IP in IP (the default).</summary>
    IpIp = 0,

    /// <summary>IP_VS_CONN_F_TUNNEL_TYPE_GUE: generic UDP encapsulation; needs a tunnel port.</summary>
    Gue = 1,

    /// <summary>IP_VS_CONN_F_TUNNEL_TYPE_GRE: GRE.</summary>
    Gre = 2,
}
