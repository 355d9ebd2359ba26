namespace Netlink.Testing;

/// <summary>
/// A virtual service as the kernel keeps it (struct ip_vs_service): its settings and its real servers, newest
/// first as list_add_rcu puts them on svc->destinations, each also indexed by <see cref="DestinationId"/>.
/// </summary>
internal sealed class ServiceEntry(ServiceId id, ushort protocol, UInt128 address, ushort port)
{
    public ServiceId Id { get; } = id;

    public ushort Protocol { get; } = protocol;

    public UInt128 Address { get; } = address;

    public ushort Port { get; } = port;

    /// <summary>The bound scheduler's name, or "none" (what ip_vs_genl_fill_service reports with no scheduler).</summary>
    public string Scheduler { get; set; } = "none";

    public string? PersistenceEngine { get; set; }

    public uint Flags { get; set; }

    /// <summary>svc->timeout in jiffies, 32 bits (reported divided by HZ).</summary>
    public uint TimeoutJiffies { get; set; }

    /// <summary>The netmask attribute's 4 bytes as sent (__be32), read as a little-endian number.</summary>
    public uint NetmaskRaw { get; set; }

    public LinkedList<RealServerEntry> Destinations { get; } = new();

    public Dictionary<DestinationId, LinkedListNode<RealServerEntry>> DestinationIndex { get; } = [];

    public LinkedListNode<ServiceEntry>? Node { get; set; }
}

/// <summary>A real server as the kernel keeps it (struct ip_vs_dest): the settings an edit can change.</summary>
internal sealed class RealServerEntry(DestinationId id)
{
    public DestinationId Id { get; } = id;

    /// <summary>conn_flags &amp; IP_VS_CONN_F_FWD_MASK.</summary>
    public uint Forwarding { get; set; }

    public int Weight { get; set; }

    public uint UpperThreshold { get; set; }

    public uint LowerThreshold { get; set; }

    public byte TunnelType { get; set; }

    /// <summary>Host order (the attribute is __be16).</summary>
    public ushort TunnelPort { get; set; }

    public ushort TunnelFlags { get; set; }

    /// <summary>ActiveConn as set by <see cref="FakeIpvsKernel.SetConnections"/>; the fake carries no traffic.</summary>
    public uint ActiveConnections { get; set; }

    /// <summary>InActConn as set by <see cref="FakeIpvsKernel.SetConnections"/>.</summary>
    public uint InactiveConnections { get; set; }
}
