using System.Net;
using System.Net.Sockets;
using static Netlink.Netfilter.Conntrack.ConntrackConstants;

namespace Netlink.Netfilter.Conntrack;

/// <summary>
/// The connection-tracking table over ctnetlink (NETLINK_NETFILTER, subsystem NFNL_SUBSYS_CTNETLINK): list entries,
/// delete the ones a filter matches (stale UDP flows to a virtual IP, or to a real server that is gone), flush.
/// One reused socket; not thread-safe.
/// </summary>
public sealed class ConntrackClient : IDisposable
{
    private readonly NetlinkConnection _connection;
    private readonly NetlinkBuffer _request = new(256);

    /// <summary>Wraps a NETLINK_NETFILTER connection (or a test's stand-in); the client owns it.</summary>
    public ConntrackClient(NetlinkConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
    }

    /// <summary>Opens a socket, in <paramref name="ns"/> if given.</summary>
    public static ConntrackClient Open(NetworkNamespace? ns = null) =>
        new(NetlinkConnection.Open(NetlinkProtocol.Netfilter, new NetlinkSocketOptions { Namespace = ns }));

    /// <summary>Lists the entries of both address families that match <paramref name="filter"/> (all when null).</summary>
    public IReadOnlyList<ConntrackEntry> List(ConntrackFilter? filter = null)
    {
        Begin(MsgCtGet, NetlinkMessageFlags.None, AfUnspec, out NetlinkMessageToken message).EndMessage(message);
        List<ConntrackEntry> entries = _connection.Dump(_request, ParseEntry, "list conntrack entries");
        return filter is null ? entries : [.. entries.Where(filter.Matches)];
    }

    /// <summary>
    /// Deletes every entry <paramref name="filter"/> matches, one request each; returns how many it deleted.
    /// An entry that expired between the listing and the delete (ENOENT) is not an error.
    /// </summary>
    public int Delete(ConntrackFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        IReadOnlyList<ConntrackEntry> doomed = List(filter);
        int deleted = 0;
        foreach (ConntrackEntry entry in doomed)
        {
            var writer = Begin(MsgCtDelete, NetlinkMessageFlags.None, Family(entry.Original.Source), out NetlinkMessageToken message);
            WriteTuple(ref writer, CtaTupleOrig, entry.Original);
            writer.EndMessage(message);
            try
            {
                _connection.Execute(_request, "delete conntrack entry", Describe(entry.Original));
                deleted++;
            }
            catch (NetlinkException e) when (e.ErrorNumber == Errno.ENOENT)
            {
                // Gone already: the entry timed out, which is what deleting it was for.
            }
        }
        return deleted;
    }

    /// <summary>Deletes every entry of both families (conntrack -F).</summary>
    public void Flush()
    {
        Begin(MsgCtDelete, NetlinkMessageFlags.None, AfUnspec, out NetlinkMessageToken message).EndMessage(message);
        _connection.Execute(_request, "flush conntrack table", null);
    }

    private NetlinkWriter Begin(byte command, NetlinkMessageFlags flags, byte family, out NetlinkMessageToken message)
    {
        _request.Clear();
        var writer = new NetlinkWriter(_request);
        message = writer.BeginMessage((ushort)((SubsystemCtnetlink << 8) | command), flags, 0);
        // struct nfgenmsg { nfgen_family, version, res_id (big-endian) }
        writer.WriteFixedHeader([family, NfnetlinkV0, 0, 0]);
        return writer;
    }

    private static void WriteTuple(ref NetlinkWriter writer, ushort type, ConntrackTuple tuple)
    {
        bool v6 = tuple.Source.AddressFamily == AddressFamily.InterNetworkV6;
        NetlinkNestToken outer = writer.BeginNested(type);
        NetlinkNestToken ip = writer.BeginNested(CtaTupleIp);
        Span<byte> bytes = stackalloc byte[16];
        tuple.Source.TryWriteBytes(bytes, out int length);
        writer.WriteBytes(v6 ? CtaIpV6Src : CtaIpV4Src, bytes[..length]);
        tuple.Destination.TryWriteBytes(bytes, out length);
        writer.WriteBytes(v6 ? CtaIpV6Dst : CtaIpV4Dst, bytes[..length]);
        writer.EndNested(ip);
        NetlinkNestToken proto = writer.BeginNested(CtaTupleProto);
        writer.WriteByte(CtaProtoNum, tuple.Protocol);
        if (tuple.Protocol is 6 or 17 or 132 or 136)
        {
            writer.WriteUInt16BigEndian(CtaProtoSrcPort, tuple.SourcePort);
            writer.WriteUInt16BigEndian(CtaProtoDstPort, tuple.DestinationPort);
        }
        writer.EndNested(proto);
        writer.EndNested(outer);
    }

    private static byte Family(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? AfInet6 : AfInet;

    private static string Describe(ConntrackTuple t) => $"proto {t.Protocol} {t.Source}:{t.SourcePort} -> {t.Destination}:{t.DestinationPort}";

    /// <summary>Decodes an IPCTNL_MSG_CT_NEW message (one entry of a dump).</summary>
    public static ConntrackEntry ParseEntry(NetlinkMessage message)
    {
        ConntrackTuple? original = null, reply = null;
        uint status = 0, timeout = 0, mark = 0, id = 0;
        foreach (NetlinkAttribute attribute in message.Attributes(NfGenMsgSize))
        {
            switch (attribute.Type)
            {
                case CtaTupleOrig: original = ParseTuple(attribute.GetNested()); break;
                case CtaTupleReply: reply = ParseTuple(attribute.GetNested()); break;
                case CtaStatus: status = attribute.GetUInt32BigEndian(); break;
                case CtaTimeout: timeout = attribute.GetUInt32BigEndian(); break;
                case CtaMark: mark = attribute.GetUInt32BigEndian(); break;
                case CtaId: id = attribute.GetUInt32BigEndian(); break;
                default: break;
            }
        }
        return new ConntrackEntry(original ?? throw new NetlinkProtocolException("conntrack entry without CTA_TUPLE_ORIG"), reply, status, timeout, mark, id);
    }

    private static ConntrackTuple ParseTuple(NetlinkAttributeReader attributes)
    {
        IPAddress? source = null, destination = null;
        byte protocol = 0;
        ushort sourcePort = 0, destinationPort = 0;
        foreach (NetlinkAttribute part in attributes)
        {
            if (part.Type == CtaTupleIp)
            {
                foreach (NetlinkAttribute ip in part.GetNested())
                {
                    switch (ip.Type)
                    {
                        case CtaIpV4Src: source = new IPAddress(ip.Expect(4)); break;
                        case CtaIpV4Dst: destination = new IPAddress(ip.Expect(4)); break;
                        case CtaIpV6Src: source = new IPAddress(ip.Expect(16)); break;
                        case CtaIpV6Dst: destination = new IPAddress(ip.Expect(16)); break;
                        default: break;
                    }
                }
            }
            else if (part.Type == CtaTupleProto)
            {
                foreach (NetlinkAttribute p in part.GetNested())
                {
                    switch (p.Type)
                    {
                        case CtaProtoNum: protocol = p.GetByte(); break;
                        case CtaProtoSrcPort: sourcePort = p.GetUInt16BigEndian(); break;
                        case CtaProtoDstPort: destinationPort = p.GetUInt16BigEndian(); break;
                        default: break;
                    }
                }
            }
        }
        if (source is null || destination is null)
        {
            throw new NetlinkProtocolException("conntrack tuple without both addresses");
        }
        return new ConntrackTuple(source, destination, protocol, sourcePort, destinationPort);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _request.Dispose();
        _connection.Dispose();
    }
}
