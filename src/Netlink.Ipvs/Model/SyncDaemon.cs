using System.Net;

namespace Netlink.Ipvs;

/// <summary>
/// A connection-synchronisation daemon (the nested IPVS_CMD_ATTR_DAEMON): to start one, or as the kernel reports it.
/// Optional settings left null take the kernel's defaults.
/// </summary>
public sealed record SyncDaemon
{
    /// <summary>Describes a daemon of <paramref name="state"/> on <paramref name="interfaceName"/>.</summary>
    public SyncDaemon(SyncDaemonState state, string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        State = state;
        InterfaceName = interfaceName;
    }

    /// <summary>IPVS_DAEMON_ATTR_STATE: master or backup (one of them).</summary>
    public SyncDaemonState State { get; init; }

    /// <summary>IPVS_DAEMON_ATTR_MCAST_IFN: the interface to send or receive on (at most 15 characters).</summary>
    public string InterfaceName { get; init; }

    /// <summary>IPVS_DAEMON_ATTR_SYNC_ID: only updates with this id are accepted (0..255).</summary>
    public byte SyncId { get; init; }

    /// <summary>IPVS_DAEMON_ATTR_SYNC_MAXLEN: largest UDP payload of sync messages.</summary>
    public ushort? MaxLength { get; init; }

    /// <summary>IPVS_DAEMON_ATTR_MCAST_GROUP / _GROUP6: the multicast group (default 224.0.0.81).</summary>
    public IPAddress? MulticastGroup { get; init; }

    /// <summary>IPVS_DAEMON_ATTR_MCAST_PORT (default 8848).</summary>
    public ushort? MulticastPort { get; init; }

    /// <summary>IPVS_DAEMON_ATTR_MCAST_TTL (default 1).</summary>
    public byte? MulticastTtl { get; init; }
}
