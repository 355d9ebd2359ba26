using System.Net;

namespace Netlink.Ipvs;

/// <summary>
/// A real server behind a virtual service (the nested IPVS_CMD_ATTR_DEST, "destination" in the kernel): where to
/// forward, how, with what weight and limits, and, when read from the kernel, its connections and counters.
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

    /// <summary>IPVS_DEST_ATTR_ACTIVE_CONNS (read only).</summary>
    public uint ActiveConnections { get; init; }

    /// <summary>IPVS_DEST_ATTR_INACT_CONNS (read only).</summary>
    public uint InactiveConnections { get; init; }

    /// <summary>IPVS_DEST_ATTR_PERSIST_CONNS (read only): persistence templates pointing here.</summary>
    public uint PersistentConnections { get; init; }

    /// <summary>Counters and rates, 64-bit (read only; null until read).</summary>
    public IpvsStatistics? Statistics { get; init; }

    /// <summary>
    /// The counters as IPVS_DEST_ATTR_STATS reports them: connection and packet counts and rates cut to 32 bits, bytes in 64.
    /// The kernel fills it from the same counters as the 64-bit set, so it is derived here rather than decoded twice.
    /// </summary>
    public IpvsStatistics? Statistics32 => Statistics?.TruncatedTo32Bits();

    /// <summary>"198.19.0.1:8080" or "[2001:db8::2]:8080".</summary>
    public string Endpoint => EndpointText.Format(Address, Port);

    /// <summary>Whether two real servers have the same address and port (the kernel's identity for them).</summary>
    public bool SameEndpoint(RealServer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Port == other.Port && Address.Equals(other.Address);
    }

    /// <summary>Whether the settings an edit can change are equal (forwarding, weight, thresholds, tunnel).</summary>
    public bool SettingsEqual(RealServer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SameEndpoint(other) && Forwarding == other.Forwarding && Weight == other.Weight
            && UpperThreshold == other.UpperThreshold && LowerThreshold == other.LowerThreshold
            && (Forwarding != ForwardingMethod.Tunnel || (TunnelType == other.TunnelType && TunnelPort == other.TunnelPort && TunnelFlags == other.TunnelFlags));
    }
}
