namespace Netlink.Ipvs;

/// <summary>Checksum options for GUE and GRE tunnels (IPVS_DEST_ATTR_TUN_FLAGS, IP_VS_TUNNEL_ENCAP_FLAG_*).</summary>
[Flags]
#pragma warning disable CA1711 // "flags" is the kernel's word for this field
public enum TunnelFlags : ushort
#pragma warning restore CA1711
{
    /// <summary>IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM: no checksum (ipvsadm --tun-nocsum).</summary>
    None = 0,

    /// <summary>IP_VS_TUNNEL_ENCAP_FLAG_CSUM: checksum (ipvsadm --tun-csum).</summary>
    Checksum = 1,

    /// <summary>IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM: remote checksum offload (ipvsadm --tun-remcsum).</summary>
    RemoteChecksum = 2,
}
