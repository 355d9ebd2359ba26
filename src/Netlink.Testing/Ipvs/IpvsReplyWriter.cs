using System.Buffers.Binary;
using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Testing;

/// <summary>
/// Writes what the kernel answers IPVS requests with, attribute for attribute in the order ip_vs_genl_fill_service,
/// ip_vs_genl_fill_dest and ip_vs_genl_fill_daemon put them, counters all zero (nothing flows through a fake). Nests carry NLA_F_NESTED, which the kernel's
/// nla_nest_start_noflag leaves out; readers mask it off either way.
/// </summary>
internal static class IpvsReplyWriter
{
    /// <summary>NLMSG_ERROR for a request: error (0 for an ack), then its header (NETLINK_CAP_ACK is on).</summary>
    public static void WriteError(NetlinkBuffer buffer, in NetlinkMessage request, int errno)
    {
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(NetlinkMessageType.Error, NetlinkMessageFlags.Capped, request.Sequence, request.PortId);
        Span<byte> body = stackalloc byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(body, -errno);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], (uint)(NetlinkWriter.MessageHeaderSize + request.Payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(body[8..], request.Type);
        BinaryPrimitives.WriteUInt16LittleEndian(body[10..], (ushort)request.Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(body[12..], request.Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(body[16..], request.PortId);
        writer.WriteFixedHeader(body);
        writer.EndMessage(m);
    }

    /// <summary>NLMSG_DONE ending a dump (dump_done_errno 0).</summary>
    public static void WriteDone(NetlinkBuffer buffer, uint sequence, uint portId, NetlinkMessageFlags extra)
    {
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(NetlinkMessageType.Done, NetlinkMessageFlags.Multi | extra, sequence, portId);
        writer.WriteFixedHeader([0, 0, 0, 0]);
        writer.EndMessage(m);
    }

    /// <summary>An IPVS_CMD_NEW_SERVICE message holding IPVS_CMD_ATTR_SERVICE.</summary>
    public static void WriteService(NetlinkBuffer buffer, ushort familyId, uint sequence, uint portId, NetlinkMessageFlags flags, ServiceEntry service, uint hz)
    {
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(familyId, flags, sequence, portId);
        writer.WriteGenericHeader(CmdNewService, GenlVersion);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrService);
        writer.WriteUInt16(SvcAttrAf, service.Id.Family);
        if (service.Id.FirewallMark != 0)
        {
            writer.WriteUInt32(SvcAttrFwmark, service.Id.FirewallMark);
        }
        else
        {
            writer.WriteUInt16(SvcAttrProtocol, service.Protocol);
            WriteAddress(ref writer, SvcAttrAddr, service.Address);
            writer.WriteUInt16BigEndian(SvcAttrPort, service.Port);
        }
        writer.WriteString(SvcAttrSchedName, service.Scheduler);
        if (service.PersistenceEngine is string engine)
        {
            writer.WriteString(SvcAttrPeName, engine);
        }
        Span<byte> flags8 = writer.WriteHeaderAndReserve(SvcAttrFlags, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(flags8, service.Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(flags8[4..], uint.MaxValue);
        writer.WriteUInt32(SvcAttrTimeout, service.TimeoutJiffies / hz);
        writer.WriteUInt32(SvcAttrNetmask, service.NetmaskRaw);
        WriteStatistics(ref writer, SvcAttrStats, wide: false);
        WriteStatistics(ref writer, SvcAttrStats64, wide: true);
        writer.EndNested(nest);
        writer.EndMessage(m);
    }

    /// <summary>An IPVS_CMD_NEW_DEST message holding IPVS_CMD_ATTR_DEST.</summary>
    public static void WriteDestination(NetlinkBuffer buffer, ushort familyId, uint sequence, uint portId, NetlinkMessageFlags flags, RealServerEntry dest)
    {
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(familyId, flags, sequence, portId);
        writer.WriteGenericHeader(CmdNewDest, GenlVersion);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrDest);
        WriteAddress(ref writer, DestAttrAddr, dest.Id.Address);
        writer.WriteUInt16BigEndian(DestAttrPort, dest.Id.Port);
        writer.WriteUInt32(DestAttrFwdMethod, dest.Forwarding);
        writer.WriteUInt32(DestAttrWeight, unchecked((uint)dest.Weight));
        writer.WriteByte(DestAttrTunType, dest.TunnelType);
        writer.WriteUInt16BigEndian(DestAttrTunPort, dest.TunnelPort);
        writer.WriteUInt16(DestAttrTunFlags, dest.TunnelFlags);
        writer.WriteUInt32(DestAttrUThresh, dest.UpperThreshold);
        writer.WriteUInt32(DestAttrLThresh, dest.LowerThreshold);
        writer.WriteUInt32(DestAttrActiveConns, dest.ActiveConnections);
        writer.WriteUInt32(DestAttrInactConns, dest.InactiveConnections);
        writer.WriteUInt32(DestAttrPersistConns, 0);
        writer.WriteUInt16(DestAttrAddrFamily, dest.Id.Family);
        WriteStatistics(ref writer, DestAttrStats, wide: false);
        WriteStatistics(ref writer, DestAttrStats64, wide: true);
        writer.EndNested(nest);
        writer.EndMessage(m);
    }

    /// <summary>An IPVS_CMD_NEW_DAEMON message holding IPVS_CMD_ATTR_DAEMON.</summary>
    public static void WriteDaemon(NetlinkBuffer buffer, ushort familyId, uint sequence, uint portId, NetlinkMessageFlags flags, FakeSyncDaemon daemon)
    {
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(familyId, flags, sequence, portId);
        writer.WriteGenericHeader(CmdNewDaemon, GenlVersion);
        NetlinkNestToken nest = writer.BeginNested(CmdAttrDaemon);
        writer.WriteUInt32(DaemonAttrState, daemon.State);
        writer.WriteString(DaemonAttrMcastIfn, daemon.Interface);
        writer.WriteUInt32(DaemonAttrSyncId, daemon.SyncId);
        writer.WriteUInt16(DaemonAttrSyncMaxlen, daemon.MaxLength);
        writer.WriteUInt16(DaemonAttrMcastPort, daemon.Port);
        writer.WriteByte(DaemonAttrMcastTtl, daemon.Ttl);
        if (daemon.Group.Length == 16)
        {
            writer.WriteBytes(DaemonAttrMcastGroup6, daemon.Group);
        }
        else
        {
            writer.WriteBytes(DaemonAttrMcastGroup, daemon.Group);
        }
        writer.EndNested(nest);
        writer.EndMessage(m);
    }

    /// <summary>A doit reply (genlmsg_put_reply: flags 0) of <paramref name="command"/> with u32 attributes.</summary>
    public static void WriteU32Reply(NetlinkBuffer buffer, ushort familyId, in NetlinkMessage request, byte command, ReadOnlySpan<(ushort Type, uint Value)> attributes)
    {
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(familyId, NetlinkMessageFlags.None, request.Sequence, request.PortId);
        writer.WriteGenericHeader(command, GenlVersion);
        foreach ((ushort type, uint value) in attributes)
        {
            writer.WriteUInt32(type, value);
        }
        writer.EndMessage(m);
    }

    private static void WriteAddress(ref NetlinkWriter writer, ushort type, UInt128 address) =>
        BinaryPrimitives.WriteUInt128LittleEndian(writer.WriteHeaderAndReserve(type, AddressSize), address);

    /// <summary>ip_vs_genl_fill_stats (u32 but the byte counters) or ip_vs_genl_fill_stats64 (all u64); no padding on x86-64.</summary>
    private static void WriteStatistics(ref NetlinkWriter writer, ushort type, bool wide)
    {
        NetlinkNestToken nest = writer.BeginNested(type);
        for (ushort counter = StatsAttrConns; counter <= StatsAttrOutBps; counter++)
        {
            if (wide || counter is StatsAttrInBytes or StatsAttrOutBytes)
            {
                writer.WriteUInt64(counter, 0);
            }
            else
            {
                writer.WriteUInt32(counter, 0);
            }
        }
        writer.EndNested(nest);
    }
}
