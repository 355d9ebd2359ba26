using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using static Netlink.Ipvs.Codec.IpvsConstants;

namespace Netlink.Ipvs.Codec;

/// <summary>
/// Decodes IPVS replies. Unknown attributes are skipped (newer kernels add some); lengths are checked and a bad
/// one gives <see cref="NetlinkProtocolException"/>.
/// </summary>
public static class IpvsReplyParser
{
    /// <summary>Decodes a GET_SERVICE reply (IPVS_CMD_NEW_SERVICE message with IPVS_CMD_ATTR_SERVICE).</summary>
    public static ObservedVirtualService ParseServiceMessage(NetlinkMessage message)
    {
        foreach (NetlinkAttribute attribute in message.GenericAttributes)
        {
            if (attribute.Type == CmdAttrService)
            {
                return ParseService(attribute.GetNested());
            }
        }
        throw new NetlinkProtocolException("service reply without IPVS_CMD_ATTR_SERVICE");
    }

    /// <summary>Decodes a GET_DEST reply (message with IPVS_CMD_ATTR_DEST).</summary>
    public static ObservedRealServer ParseRealServerMessage(NetlinkMessage message, AddressFamily serviceFamily)
    {
        foreach (NetlinkAttribute attribute in message.GenericAttributes)
        {
            if (attribute.Type == CmdAttrDest)
            {
                var fields = default(DestFields);
                if (!IpvsKernelLayout.TryReadDest(attribute.Payload, ref fields))
                {
                    ReadDest(attribute.GetNested(), ref fields);
                }
                return ToRealServer(ref fields, serviceFamily);
            }
        }
        throw new NetlinkProtocolException("real server reply without IPVS_CMD_ATTR_DEST");
    }

    /// <summary>
    /// Decodes the attributes of a nested IPVS_CMD_ATTR_SERVICE. The settings come back as a caller writes them: the
    /// kernel's IP_VS_SVC_F_HASHED and IP_VS_SVC_F_PERSISTENT and a single-address netmask drop out of
    /// <see cref="ObservedVirtualService.Settings"/> (the flags stay in <see cref="ObservedVirtualService.ReportedFlags"/>).
    /// </summary>
    public static ObservedVirtualService ParseService(NetlinkAttributeReader attributes)
    {
        ushort af = 0;
        var protocol = IpvsProtocol.None;
        ReadOnlySpan<byte> address = default;
        ushort port = 0;
        uint mark = 0;
        string? scheduler = null;
        string? engine = null;
        uint flags = 0;
        uint timeout = 0;
        ReadOnlySpan<byte> netmaskBytes = default;
        ReadOnlySpan<byte> stats32 = default;
        ReadOnlySpan<byte> stats64 = default;
        bool hasStats64 = false;
        foreach (NetlinkAttribute attribute in attributes)
        {
            switch (attribute.Type)
            {
                case SvcAttrAf: af = attribute.GetUInt16(); break;
                case SvcAttrProtocol: protocol = (IpvsProtocol)attribute.GetUInt16(); break;
                case SvcAttrAddr: address = attribute.ExpectAtLeast(4); break;
                case SvcAttrPort: port = attribute.GetUInt16BigEndian(); break;
                case SvcAttrFwmark: mark = attribute.GetUInt32(); break;
                case SvcAttrSchedName: scheduler = InternName(attribute.GetStringBytes()); break;
                case SvcAttrPeName: engine = attribute.GetString(); break;
                case SvcAttrFlags: flags = BinaryPrimitives.ReadUInt32LittleEndian(attribute.ExpectAtLeast(4)); break;
                case SvcAttrTimeout: timeout = attribute.GetUInt32(); break;
                case SvcAttrNetmask: netmaskBytes = attribute.Expect(4); break;
                case SvcAttrStats: stats32 = attribute.Payload; break;
                case SvcAttrStats64: stats64 = attribute.Payload; hasStats64 = true; break;
                default: break;
            }
        }
        AddressFamily family = ToFamily(af);
        if (mark == 0 && protocol is not (IpvsProtocol.Tcp or IpvsProtocol.Udp or IpvsProtocol.Sctp))
        {
            throw new NetlinkProtocolException($"service with neither a firewall mark nor a known protocol ({(ushort)protocol})");
        }
        VirtualServiceKey key = mark != 0
            ? VirtualServiceKey.ForFirewallMark(mark, family)
            : VirtualServiceKey.ForAddress(protocol, ToAddress(address, family), port);
        var settings = new VirtualService(key)
        {
            Scheduler = scheduler ?? string.Empty,
            PersistenceEngine = engine,
            Flags = (ServiceFlags)flags,
            PersistenceTimeout = timeout,
            Netmask = netmaskBytes.IsEmpty ? null : ToNetmask(netmaskBytes, family),
        };
        return new ObservedVirtualService(settings)
        {
            ReportedFlags = (ServiceFlags)flags,
            Statistics = ReadStatistics(hasStats64, stats64, stats32),
        };
    }

    /// <summary>IPVS_SVC_ATTR_NETMASK: an IPv4 mask as a __be32, an IPv6 prefix length as a host-order u32 (1..128).</summary>
    private static PersistenceNetmask ToNetmask(ReadOnlySpan<byte> payload, AddressFamily family)
    {
        if (family != AddressFamily.InterNetworkV6)
        {
            return PersistenceNetmask.FromIpv4Mask(BinaryPrimitives.ReadUInt32BigEndian(payload));
        }
        uint prefix = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        if (prefix is < 1 or > 128)
        {
            throw new NetlinkProtocolException($"IPv6 service with netmask {prefix}, expected a prefix length from 1 to 128");
        }
        return PersistenceNetmask.FromIpv6PrefixLength((int)prefix);
    }

    /// <summary>Decodes the attributes of a nested IPVS_CMD_ATTR_DEST.</summary>
    public static ObservedRealServer ParseRealServer(NetlinkAttributeReader attributes, AddressFamily serviceFamily)
    {
        var fields = default(DestFields);
        ReadDest(attributes, ref fields);
        return ToRealServer(ref fields, serviceFamily);
    }

    private static void ReadDest(NetlinkAttributeReader attributes, ref DestFields fields)
    {
        foreach (NetlinkAttribute attribute in attributes)
        {
            switch (attribute.Type)
            {
                case DestAttrAddr: fields.Address = attribute.ExpectAtLeast(4); break;
                case DestAttrPort: fields.Port = attribute.GetUInt16BigEndian(); break;
                case DestAttrFwdMethod: fields.Forwarding = attribute.GetUInt32() & ForwardMask; break;
                case DestAttrWeight: fields.Weight = attribute.GetUInt32(); break;
                case DestAttrUThresh: fields.UpperThreshold = attribute.GetUInt32(); break;
                case DestAttrLThresh: fields.LowerThreshold = attribute.GetUInt32(); break;
                case DestAttrActiveConns: fields.ActiveConnections = attribute.GetUInt32(); break;
                case DestAttrInactConns: fields.InactiveConnections = attribute.GetUInt32(); break;
                case DestAttrPersistConns: fields.PersistentConnections = attribute.GetUInt32(); break;
                case DestAttrStats: fields.Stats32 = attribute.Payload; break;
                case DestAttrAddrFamily: fields.AddressFamily = attribute.GetUInt16(); break;
                case DestAttrStats64: fields.Stats64 = attribute.Payload; fields.HasStats64 = true; break;
                case DestAttrTunType: fields.TunnelType = attribute.GetByte(); break;
                case DestAttrTunPort: fields.TunnelPort = attribute.GetUInt16BigEndian(); break;
                case DestAttrTunFlags: fields.TunnelFlags = attribute.GetUInt16(); break;
                default: break;
            }
        }
    }

    private static ObservedRealServer ToRealServer(ref DestFields fields, AddressFamily serviceFamily)
    {
        AddressFamily family = fields.AddressFamily != 0 ? ToFamily(fields.AddressFamily) : serviceFamily;
        var settings = new RealServer(ToAddress(fields.Address, family), fields.Port)
        {
            Forwarding = (ForwardingMethod)fields.Forwarding,
            Weight = (int)Math.Min(fields.Weight, int.MaxValue),
            UpperThreshold = fields.UpperThreshold,
            LowerThreshold = fields.LowerThreshold,
            TunnelType = (TunnelType)fields.TunnelType,
            TunnelPort = fields.TunnelPort,
            TunnelFlags = (TunnelFlags)fields.TunnelFlags,
        };
        return new ObservedRealServer(settings)
        {
            ActiveConnections = fields.ActiveConnections,
            InactiveConnections = fields.InactiveConnections,
            PersistentConnections = fields.PersistentConnections,
            Statistics = ReadStatistics(fields.HasStats64, fields.Stats64, fields.Stats32),
        };
    }

    /// <summary>
    /// STATS holds the same counters as STATS64 cut to 32 bits, so it is read only from kernels without STATS64; null
    /// when the reply had neither.
    /// </summary>
    private static IpvsStatistics? ReadStatistics(bool hasStats64, ReadOnlySpan<byte> stats64, ReadOnlySpan<byte> stats32)
    {
        if (hasStats64)
        {
            if (!IpvsKernelLayout.TryReadStatistics64(stats64, out IpvsStatistics statistics))
            {
                statistics = ParseStatistics(new NetlinkAttributeReader(stats64));
            }
            return statistics;
        }
        return stats32.IsEmpty ? null : ParseStatistics(new NetlinkAttributeReader(stats32));
    }

    /// <summary>Decodes IPVS_STATS_ATTR_*; counters may be 32 or 64 bits wide (STATS vs STATS64).</summary>
    public static IpvsStatistics ParseStatistics(NetlinkAttributeReader attributes)
    {
        ulong conns = 0, inPkts = 0, outPkts = 0, inBytes = 0, outBytes = 0, cps = 0, inPps = 0, outPps = 0, inBps = 0, outBps = 0;
        foreach (NetlinkAttribute attribute in attributes)
        {
            switch (attribute.Type)
            {
                case StatsAttrConns: conns = ReadCounter(attribute); break;
                case StatsAttrInPkts: inPkts = ReadCounter(attribute); break;
                case StatsAttrOutPkts: outPkts = ReadCounter(attribute); break;
                case StatsAttrInBytes: inBytes = ReadCounter(attribute); break;
                case StatsAttrOutBytes: outBytes = ReadCounter(attribute); break;
                case StatsAttrCps: cps = ReadCounter(attribute); break;
                case StatsAttrInPps: inPps = ReadCounter(attribute); break;
                case StatsAttrOutPps: outPps = ReadCounter(attribute); break;
                case StatsAttrInBps: inBps = ReadCounter(attribute); break;
                case StatsAttrOutBps: outBps = ReadCounter(attribute); break;
                default: break;
            }
        }
        return new IpvsStatistics(conns, inPkts, outPkts, inBytes, outBytes, cps, inPps, outPps, inBps, outBps);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong ReadCounter(NetlinkAttribute attribute) => attribute.Payload.Length switch
    {
        4 => attribute.GetUInt32(),
        8 => attribute.GetUInt64(),
        _ => throw new NetlinkProtocolException($"statistics attribute {attribute.Type} has {attribute.Payload.Length} bytes, expected 4 or 8"),
    };

    /// <summary>Decodes a GET_DAEMON reply message.</summary>
    public static SyncDaemon? ParseDaemonMessage(NetlinkMessage message)
    {
        foreach (NetlinkAttribute attribute in message.GenericAttributes)
        {
            if (attribute.Type != CmdAttrDaemon)
            {
                continue;
            }
            var state = SyncDaemonState.None;
            string? interfaceName = null;
            uint syncId = 0;
            ushort? maxLength = null;
            IPAddress? group = null;
            ushort? port = null;
            byte? ttl = null;
            foreach (NetlinkAttribute field in attribute.GetNested())
            {
                switch (field.Type)
                {
                    case DaemonAttrState: state = (SyncDaemonState)field.GetUInt32(); break;
                    case DaemonAttrMcastIfn: interfaceName = field.GetString(); break;
                    case DaemonAttrSyncId: syncId = field.GetUInt32(); break;
                    case DaemonAttrSyncMaxlen: maxLength = field.GetUInt16(); break;
                    case DaemonAttrMcastGroup: group = new IPAddress(field.Expect(4)); break;
                    case DaemonAttrMcastGroup6: group = new IPAddress(field.Expect(16)); break;
                    case DaemonAttrMcastPort: port = field.GetUInt16(); break;
                    case DaemonAttrMcastTtl: ttl = field.GetByte(); break;
                    default: break;
                }
            }
            if (state == SyncDaemonState.None || string.IsNullOrEmpty(interfaceName))
            {
                throw new NetlinkProtocolException("sync daemon reply without state or interface");
            }
            return new SyncDaemon(state, interfaceName)
            {
                SyncId = (byte)syncId,
                MaxLength = maxLength,
                MulticastGroup = group,
                MulticastPort = port,
                MulticastTtl = ttl,
            };
        }
        return null;
    }

    /// <summary>Decodes a GET_CONFIG reply.</summary>
    public static IpvsTimeouts ParseTimeouts(NetlinkMessage message)
    {
        uint tcp = 0, fin = 0, udp = 0;
        foreach (NetlinkAttribute attribute in message.GenericAttributes)
        {
            switch (attribute.Type)
            {
                case CmdAttrTimeoutTcp: tcp = attribute.GetUInt32(); break;
                case CmdAttrTimeoutTcpFin: fin = attribute.GetUInt32(); break;
                case CmdAttrTimeoutUdp: udp = attribute.GetUInt32(); break;
                default: break;
            }
        }
        return new IpvsTimeouts(tcp, fin, udp);
    }

    /// <summary>Decodes a GET_INFO reply.</summary>
    public static IpvsInfo ParseInfo(NetlinkMessage message)
    {
        uint version = 0, size = 0;
        foreach (NetlinkAttribute attribute in message.GenericAttributes)
        {
            switch (attribute.Type)
            {
                case InfoAttrVersion: version = attribute.GetUInt32(); break;
                case InfoAttrConnTabSize: size = attribute.GetUInt32(); break;
                default: break;
            }
        }
        return new IpvsInfo(version, size);
    }

    private static AddressFamily ToFamily(ushort af) => af switch
    {
        LinuxAddressFamily.Inet => AddressFamily.InterNetwork,
        LinuxAddressFamily.Inet6 => AddressFamily.InterNetworkV6,
        _ => throw new NetlinkProtocolException($"address family {af} is neither AF_INET nor AF_INET6"),
    };

    private static IPAddress ToAddress(ReadOnlySpan<byte> bytes, AddressFamily family)
    {
        int length = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        if (bytes.Length < length)
        {
            throw new NetlinkProtocolException($"address of {bytes.Length} bytes, expected at least {length}");
        }
        return new IPAddress(bytes[..length]);
    }

    /// <summary>Maps the kernel's scheduler names to shared strings, so listing thousands of services allocates none.</summary>
    private static string InternName(ReadOnlySpan<byte> name)
    {
        foreach (string known in KnownSchedulers)
        {
            if (name.Length == known.Length && System.Text.Ascii.Equals(name, known))
            {
                return known;
            }
        }
        return System.Text.Encoding.UTF8.GetString(name);
    }

    private static readonly string[] KnownSchedulers = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"];
}
