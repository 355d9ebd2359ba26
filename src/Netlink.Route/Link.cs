namespace Netlink.Route;

/// <summary>A network interface as RTM_GETLINK reports it (struct ifinfomsg and its IFLA_* attributes).</summary>
/// <param name="Index">ifi_index: the interface index.</param>
/// <param name="Name">IFLA_IFNAME.</param>
/// <param name="Kind">IFLA_LINKINFO / IFLA_INFO_KIND, such as "dummy", "veth", "bridge"; null for physical and loopback links.</param>
/// <param name="Flags">ifi_flags: IFF_UP, IFF_LOOPBACK, IFF_RUNNING and the rest.</param>
/// <param name="Mtu">IFLA_MTU.</param>
/// <param name="HardwareAddress">IFLA_ADDRESS, the link-layer address; empty when the link has none.</param>
/// <param name="OperationalState">IFLA_OPERSTATE (RFC 2863: 0 unknown, 2 down, 6 up, ...).</param>
public sealed record Link(int Index, string Name, string? Kind, uint Flags, uint Mtu, byte[] HardwareAddress, byte OperationalState)
{
    /// <summary>Whether the link is administratively up (IFF_UP).</summary>
    public bool IsUp => (Flags & RouteConstants.IffUp) != 0;
}
