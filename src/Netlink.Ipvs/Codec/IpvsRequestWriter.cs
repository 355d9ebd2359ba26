using System.Net;
using System.Net.Sockets;
using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Ipvs.Codec;

/// <summary>
/// Encodes IPVS requests. Each method appends one whole message to the buffer (sequence numbers and request flags
/// are stamped by <see cref="NetlinkConnection"/> at send time). Nothing here allocates.
/// </summary>
public static class IpvsRequestWriter
{
    /// <summary>IPVS_CMD_NEW_SERVICE or IPVS_CMD_SET_SERVICE with every setting.</summary>
    public static void WriteService(NetlinkBuffer buffer, ushort familyId, VirtualService service, bool update)
    {
        ArgumentNullException.ThrowIfNull(service);
        var writer = Begin(buffer, familyId, update ? CmdSetService : CmdNewService, out NetlinkMessageToken message);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrService);
        WriteServiceKey(ref writer, service.Key);
        writer.WriteString(SvcAttrSchedName, CheckName(service.Scheduler, "scheduler"));
        if (!string.IsNullOrEmpty(service.PersistenceEngine))
        {
            writer.WriteString(SvcAttrPeName, CheckName(service.PersistenceEngine, "persistence engine"));
        }
        // struct ip_vs_flags { flags, mask }: a full mask makes the kernel take every bit as given.
        // VirtualService.Flags never holds HASHED or PERSISTENT: persistence is the timeout.
        uint flags = (uint)service.Flags;
        if (service.PersistenceTimeout > 0)
        {
            flags |= (uint)ServiceFlags.Persistent;
        }
        Span<byte> flagsPayload = writer.WriteHeaderAndReserve(SvcAttrFlags, 8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(flagsPayload, flags);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(flagsPayload[4..], uint.MaxValue);
        writer.WriteUInt32(SvcAttrTimeout, service.PersistenceTimeout);
        WriteNetmask(ref writer, service);
        writer.EndNested(nest);
        writer.EndMessage(message);
    }

    /// <summary>IPVS_CMD_DEL_SERVICE, or IPVS_CMD_GET_SERVICE for one service.</summary>
    public static void WriteServiceKeyOnly(NetlinkBuffer buffer, ushort familyId, byte command, VirtualServiceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var writer = Begin(buffer, familyId, command, out NetlinkMessageToken message);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrService);
        WriteServiceKey(ref writer, key);
        writer.EndNested(nest);
        writer.EndMessage(message);
    }

    /// <summary>IPVS_CMD_NEW_DEST or IPVS_CMD_SET_DEST with every setting.</summary>
    public static void WriteRealServer(NetlinkBuffer buffer, ushort familyId, VirtualServiceKey service, RealServer server, bool update)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfNegative(server.Weight);
        var writer = Begin(buffer, familyId, update ? CmdSetDest : CmdNewDest, out NetlinkMessageToken message);
        NetlinkNestToken serviceNest = writer.BeginNested(CmdAttrService);
        WriteServiceKey(ref writer, service);
        writer.EndNested(serviceNest);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrDest);
        WriteRealServerKey(ref writer, server);
        writer.WriteUInt32(DestAttrFwdMethod, (uint)server.Forwarding & ForwardMask);
        writer.WriteUInt32(DestAttrWeight, (uint)server.Weight);
        writer.WriteUInt32(DestAttrUThresh, server.UpperThreshold);
        writer.WriteUInt32(DestAttrLThresh, server.LowerThreshold);
        if (server.Forwarding == ForwardingMethod.Tunnel)
        {
            // Only tunnels carry these; kernels before 5.3 do not know them, so other methods leave them out.
            writer.WriteByte(DestAttrTunType, (byte)server.TunnelType);
            writer.WriteUInt16BigEndian(DestAttrTunPort, server.TunnelPort);
            writer.WriteUInt16(DestAttrTunFlags, (ushort)server.TunnelFlags);
        }
        writer.EndNested(nest);
        writer.EndMessage(message);
    }

    /// <summary>IPVS_CMD_DEL_DEST.</summary>
    public static void WriteDeleteRealServer(NetlinkBuffer buffer, ushort familyId, VirtualServiceKey service, IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(address);
        var writer = Begin(buffer, familyId, CmdDelDest, out NetlinkMessageToken message);
        NetlinkNestToken serviceNest = writer.BeginNested(CmdAttrService);
        WriteServiceKey(ref writer, service);
        writer.EndNested(serviceNest);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrDest);
        WriteRealServerKey(ref writer, new RealServer(address, port));
        writer.EndNested(nest);
        writer.EndMessage(message);
    }

    /// <summary>IPVS_CMD_GET_DEST as a dump of one service's real servers.</summary>
    public static void WriteListRealServers(NetlinkBuffer buffer, ushort familyId, VirtualServiceKey service) =>
        WriteServiceKeyOnly(buffer, familyId, CmdGetDest, service);

    /// <summary>A command with no attributes: GET_SERVICE (dump), GET_DAEMON, GET_CONFIG, GET_INFO, ZERO (all), FLUSH.</summary>
    public static void WriteCommand(NetlinkBuffer buffer, ushort familyId, byte command)
    {
        var writer = Begin(buffer, familyId, command, out NetlinkMessageToken message);
        writer.EndMessage(message);
    }

    /// <summary>IPVS_CMD_SET_CONFIG with the three timeouts (0 leaves one unchanged).</summary>
    public static void WriteTimeouts(NetlinkBuffer buffer, ushort familyId, IpvsTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        var writer = Begin(buffer, familyId, CmdSetConfig, out NetlinkMessageToken message);
        writer.WriteUInt32(CmdAttrTimeoutTcp, timeouts.Tcp);
        writer.WriteUInt32(CmdAttrTimeoutTcpFin, timeouts.TcpFin);
        writer.WriteUInt32(CmdAttrTimeoutUdp, timeouts.Udp);
        writer.EndMessage(message);
    }

    /// <summary>IPVS_CMD_NEW_DAEMON with every option given.</summary>
    public static void WriteStartDaemon(NetlinkBuffer buffer, ushort familyId, SyncDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        if (daemon.State is not (SyncDaemonState.Master or SyncDaemonState.Backup))
        {
            throw new ArgumentException("a sync daemon is started as Master or as Backup", nameof(daemon));
        }
        var writer = Begin(buffer, familyId, CmdNewDaemon, out NetlinkMessageToken message);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrDaemon);
        writer.WriteUInt32(DaemonAttrState, (uint)daemon.State);
        writer.WriteString(DaemonAttrMcastIfn, CheckName(daemon.InterfaceName, "interface name"));
        writer.WriteUInt32(DaemonAttrSyncId, daemon.SyncId);
        if (daemon.MaxLength is ushort maxLength)
        {
            writer.WriteUInt16(DaemonAttrSyncMaxlen, maxLength);
        }
        if (daemon.MulticastGroup is IPAddress group)
        {
            Span<byte> bytes = stackalloc byte[16];
            if (group.AddressFamily == AddressFamily.InterNetwork)
            {
                group.TryWriteBytes(bytes, out _);
                writer.WriteBytes(DaemonAttrMcastGroup, bytes[..4]);
            }
            else
            {
                group.TryWriteBytes(bytes, out _);
                writer.WriteBytes(DaemonAttrMcastGroup6, bytes);
            }
        }
        if (daemon.MulticastPort is ushort port)
        {
            // Host order: the kernel reads it with nla_get_u16 and converts when it binds the socket.
            writer.WriteUInt16(DaemonAttrMcastPort, port);
        }
        if (daemon.MulticastTtl is byte ttl)
        {
            writer.WriteByte(DaemonAttrMcastTtl, ttl);
        }
        writer.EndNested(nest);
        writer.EndMessage(message);
    }

    /// <summary>IPVS_CMD_DEL_DAEMON for the daemon of <paramref name="state"/>.</summary>
    public static void WriteStopDaemon(NetlinkBuffer buffer, ushort familyId, SyncDaemonState state)
    {
        var writer = Begin(buffer, familyId, CmdDelDaemon, out NetlinkMessageToken message);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrDaemon);
        writer.WriteUInt32(DaemonAttrState, (uint)state);
        writer.EndNested(nest);
        writer.EndMessage(message);
    }

    private static NetlinkWriter Begin(NetlinkBuffer buffer, ushort familyId, byte command, out NetlinkMessageToken message)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var writer = new NetlinkWriter(buffer);
        message = writer.BeginMessage(familyId, NetlinkMessageFlags.Request, 0);
        writer.WriteGenericHeader(command, GenlVersion);
        return writer;
    }

    private static void WriteServiceKey(ref NetlinkWriter writer, VirtualServiceKey key)
    {
        writer.WriteUInt16(SvcAttrAf, LinuxAddressFamily.Of(key.Family));
        if (key.IsFirewallMark)
        {
            writer.WriteUInt32(SvcAttrFwmark, key.FirewallMark);
            return;
        }
        writer.WriteUInt16(SvcAttrProtocol, (ushort)key.Protocol);
        WriteAddress(ref writer, SvcAttrAddr, key.Address!);
        writer.WriteUInt16BigEndian(SvcAttrPort, key.Port);
    }

    private static void WriteRealServerKey(ref NetlinkWriter writer, RealServer server)
    {
        WriteAddress(ref writer, DestAttrAddr, server.Address);
        writer.WriteUInt16BigEndian(DestAttrPort, server.Port);
        // Always sent: without it the kernel assumes the service's family, which breaks mixed-family tunnels.
        writer.WriteUInt16(DestAttrAddrFamily, LinuxAddressFamily.Of(server.Address));
    }

    private static void WriteAddress(ref NetlinkWriter writer, ushort type, IPAddress address)
    {
        Span<byte> payload = writer.WriteHeaderAndReserve(type, AddressSize);
        payload.Clear();
        if (!address.TryWriteBytes(payload, out _))
        {
            throw new ArgumentException($"address {address} cannot be encoded", nameof(address));
        }
    }

    private static void WriteNetmask(ref NetlinkWriter writer, VirtualService service)
    {
        PersistenceNetmask netmask = service.EffectiveNetmask;
        // The netmask's setter checks its family, but a later `with { Key = ... }` can pair it with another family.
        VirtualService.CheckFamily(netmask, service.Key);
        if (service.Key.Family == AddressFamily.InterNetworkV6)
        {
            writer.WriteUInt32(SvcAttrNetmask, netmask.WireValue);
        }
        else
        {
            // The kernel keeps an IPv4 mask as __be32: the mask's bytes in network order.
            writer.WriteUInt32BigEndian(SvcAttrNetmask, netmask.WireValue);
        }
    }

    private static string CheckName(string name, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) >= NameMaxLength)
        {
            throw new ArgumentException($"{what} '{name}' is longer than the kernel's limit of {NameMaxLength - 1} bytes", nameof(name));
        }
        return name;
    }
}
