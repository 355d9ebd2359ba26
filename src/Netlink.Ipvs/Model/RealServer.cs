using System.Net;

namespace Netlink.Ipvs;

/// <summary>
/// A real server's settings (the nested IPVS_CMD_ATTR_DEST a caller sends; "destination" in the kernel): where to
/// forward, how, with what weight and limits. Equality means "same settings"; the tunnel settings count only for
/// <see cref="ForwardingMethod.Tunnel"/>, the one method the kernel uses them for and the writer sends them with.
/// What the kernel reports about a real server (connections, counters) is in <see cref="ObservedRealServer"/>.
/// </summary>
public sealed record RealServer
{
    /// <summary>Creates a real server with ipvsadm's defaults: direct routing, weight 1, no thresholds.</summary>
    public RealServer(IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        Port = port;
    }

    /// <summary>IPVS_DEST_ATTR_ADDR; its family is sent as IPVS_DEST_ATTR_ADDR_FAMILY (which may differ from the service's with tunnelling).</summary>
    public IPAddress Address { get; init; }

    /// <summary>IPVS_DEST_ATTR_PORT (for firewall-mark services and direct routing the kernel may ignore it).</summary>
    public ushort Port { get; init; }

    /// <summary>IPVS_DEST_ATTR_FWD_METHOD.</summary>
    public ForwardingMethod Forwarding { get; init; } = ForwardingMethod.DirectRouting;

    /// <summary>IPVS_DEST_ATTR_WEIGHT: relative capacity; 0 quiesces (no new connections). 0..2147483647.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>IPVS_DEST_ATTR_U_THRESH: stop sending new connections above this many; 0 means no limit.</summary>
    public uint UpperThreshold { get; init; }

    /// <summary>IPVS_DEST_ATTR_L_THRESH: resume below this many; 0 means not set.</summary>
    public uint LowerThreshold { get; init; }

    /// <summary>IPVS_DEST_ATTR_TUN_TYPE, for <see cref="ForwardingMethod.Tunnel"/>.</summary>
    public TunnelType TunnelType { get; init; }

    /// <summary>IPVS_DEST_ATTR_TUN_PORT: the GUE destination port.</summary>
    public ushort TunnelPort { get; init; }

    /// <summary>IPVS_DEST_ATTR_TUN_FLAGS: checksum options for GUE and GRE.</summary>
    public TunnelFlags TunnelFlags { get; init; }

    /// <summary>"198.19.0.1:8080" or "[2001:db8::2]:8080".</summary>
    public string Endpoint => EndpointText.Format(Address, Port);

    /// <summary>
    /// Whether two real servers have the same address and port: the kernel's identity for them, which an edit
    /// (IPVS_CMD_SET_DEST) cannot change. Unlike <see cref="Equals(RealServer?)"/> it ignores every other setting.
    /// </summary>
    public bool SameEndpoint(RealServer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Port == other.Port && Address.Equals(other.Address);
    }

    /// <summary>
    /// Whether both have the same settings: endpoint, forwarding, weight, thresholds, and, for tunnels, the tunnel
    /// settings. For other methods the tunnel settings are not sent, and the kernel reports zeros, so they are not compared.
    /// </summary>
    public bool Equals(RealServer? other) =>
        other is not null && SameEndpoint(other) && Forwarding == other.Forwarding && Weight == other.Weight
        && UpperThreshold == other.UpperThreshold && LowerThreshold == other.LowerThreshold
        && (Forwarding != ForwardingMethod.Tunnel
            || (TunnelType == other.TunnelType && TunnelPort == other.TunnelPort && TunnelFlags == other.TunnelFlags));

    /// <summary>A hash of the settings <see cref="Equals(RealServer?)"/> compares.</summary>
    public override int GetHashCode() => Forwarding == ForwardingMethod.Tunnel
        ? HashCode.Combine(Address, Port, Forwarding, Weight, UpperThreshold, LowerThreshold, HashCode.Combine(TunnelType, TunnelPort, TunnelFlags))
        : HashCode.Combine(Address, Port, Forwarding, Weight, UpperThreshold, LowerThreshold);
}
