using System.Net;
using System.Net.Sockets;
using Netlink;
using Netlink.Ipvs;

namespace Ipvsctl.Ipvsadm;

/// <summary>Linux address family numbers, as ipvsadm compares and sorts them.</summary>
/// <summary>An address as ipvsadm holds it: 16 bytes, an IPv4 address in the first four.</summary>
internal sealed class EndpointSpec
{
    public int Family { get; set; }

    public byte[] Address { get; set; } = new byte[16];

    public ushort Port { get; set; }

    public IPAddress ToIPAddress() => Family == LinuxAddressFamily.Inet6 ? new IPAddress(Address) : new IPAddress(Address.AsSpan(0, 4));

    public void SetIPv4(uint address)
    {
        Address = new byte[16];
        Address[0] = (byte)(address >> 24);
        Address[1] = (byte)(address >> 16);
        Address[2] = (byte)(address >> 8);
        Address[3] = (byte)address;
        Family = LinuxAddressFamily.Inet;
    }

    public void SetIPv6(byte[] address)
    {
        Address = address;
        Family = LinuxAddressFamily.Inet6;
    }
}

/// <summary>The virtual service a command line names and sets (ipvsadm's ipvs_service_t).</summary>
internal sealed class ServiceSpec
{
    public EndpointSpec Endpoint { get; } = new();

    public IpvsProtocol Protocol { get; set; }

    public uint FirewallMark { get; set; }

    public string Scheduler { get; set; } = string.Empty;

    public ServiceFlags Flags { get; set; }

    public uint Timeout { get; set; }

    /// <summary>An IPv4 mask in host order, or an IPv6 prefix length.</summary>
    public uint Netmask { get; set; } = 0xFFFFFFFF;

    public string PersistenceEngine { get; set; } = string.Empty;

    public VirtualServiceKey ToKey() => FirewallMark != 0
        ? VirtualServiceKey.ForFirewallMark(FirewallMark, Endpoint.Family == LinuxAddressFamily.Inet6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)
        : VirtualServiceKey.ForAddress(Protocol, Endpoint.ToIPAddress(), Endpoint.Port);

    public VirtualService ToVirtualService()
    {
        VirtualServiceKey key = ToKey();
        return new(key)
        {
            Scheduler = Scheduler,
            Flags = Flags,
            PersistenceTimeout = (Flags & ServiceFlags.Persistent) != 0 ? Timeout : 0,
            Netmask = key.Family == AddressFamily.InterNetworkV6
                ? PersistenceNetmask.FromIpv6PrefixLength(unchecked((int)Netmask))
                : PersistenceNetmask.FromIpv4Mask(Netmask),
            PersistenceEngine = PersistenceEngine,
        };
    }
}

/// <summary>The real server a command line names and sets (ipvsadm's ipvs_dest_t), with ipvsadm's defaults.</summary>
internal sealed class DestinationSpec
{
    public EndpointSpec Endpoint { get; } = new();

    public ForwardingMethod Forwarding { get; set; } = ForwardingMethod.DirectRouting;

    public int Weight { get; set; } = 1;

    public uint UpperThreshold { get; set; }

    public uint LowerThreshold { get; set; }

    public int TunnelType { get; set; }

    public ushort TunnelPort { get; set; }

    public TunnelFlags TunnelFlags { get; set; }

    public RealServer ToRealServer() => new(Endpoint.ToIPAddress(), Endpoint.Port)
    {
        Forwarding = Forwarding,
        Weight = Weight,
        UpperThreshold = UpperThreshold,
        LowerThreshold = LowerThreshold,
        TunnelType = (Netlink.Ipvs.TunnelType)TunnelType,
        TunnelPort = TunnelPort,
        TunnelFlags = TunnelFlags,
    };
}

/// <summary>One parsed ipvsadm command line (ipvsadm's struct ipvs_command_entry plus its option and format bits).</summary>
internal sealed class CommandEntry
{
    public IpvsadmCommandKind Command { get; set; }

    public ServiceSpec Service { get; } = new();

    public DestinationSpec Destination { get; } = new();

    public IpvsTimeouts Timeouts { get; set; } = new(0, 0, 0);

    public SyncDaemonState DaemonState { get; set; }

    public string McastInterface { get; set; } = string.Empty;

    public byte SyncId { get; set; }

    public ushort SyncMaxLength { get; set; }

    public IPAddress? McastGroup { get; set; }

    public ushort McastPort { get; set; }

    public byte McastTtl { get; set; }

    /// <summary>The options given, one bit per <see cref="OptionRules"/> position.</summary>
    public ulong Options { get; set; }

    public ListFormat Format { get; set; }

    public SyncDaemon ToSyncDaemon() => new(DaemonState, McastInterface)
    {
        SyncId = SyncId,
        MaxLength = SyncMaxLength == 0 ? null : SyncMaxLength,
        MulticastGroup = McastGroup,
        MulticastPort = McastPort == 0 ? null : McastPort,
        MulticastTtl = McastTtl == 0 ? null : McastTtl,
    };
}
