using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using static Netlink.Netfilter.Conntrack.ConntrackConstants;

namespace Netlink.Netfilter.Conntrack;

/// <summary>
/// The connection-tracking table over ctnetlink (NETLINK_NETFILTER, subsystem NFNL_SUBSYS_CTNETLINK): list entries,
/// delete the ones a filter matches (stale UDP flows to a virtual IP, or to a real server that is gone), flush.
/// One reused socket. Not thread-safe: one operation at a time. Using one client from two threads at once throws
/// <see cref="InvalidOperationException"/> (its connection detects the overlap) rather than mixing up requests or
/// replies; use one client per thread, or lock around it.
/// </summary>
public sealed class ConntrackClient : IConntrackClient
{
    private const int RequestSize = 256;

    private readonly NetlinkConnection _connection;

    private ConntrackClient(NetlinkConnection connection) => _connection = connection;

    /// <summary>
    /// Opens a NETLINK_NETFILTER socket (in <see cref="NetlinkClientOptions.Namespace"/> if given). Throws
    /// <see cref="NetlinkException"/> when it cannot, EPROTONOSUPPORT included.
    /// </summary>
    public static ConntrackClient Open(ConntrackClientOptions? options = null) =>
        new(NetlinkConnection.Open(NetlinkProtocol.Netfilter, (options ?? ConntrackClientOptions.Default).ToSocketOptions()));

    /// <summary>
    /// Like <see cref="Open(ConntrackClientOptions?)"/>, but a kernel without nfnetlink (EPROTONOSUPPORT) is an answer:
    /// returns false with the reason. Every other failure still throws.
    /// </summary>
    public static bool TryOpen(ConntrackClientOptions? options, [NotNullWhen(true)] out ConntrackClient? client, [NotNullWhen(false)] out string? unavailableReason)
    {
        bool opened = NetlinkConnection.TryOpen(NetlinkProtocol.Netfilter, (options ?? ConntrackClientOptions.Default).ToSocketOptions(), out NetlinkConnection? connection, out unavailableReason);
        client = opened ? new ConntrackClient(connection!) : null;
        return opened;
    }

    /// <summary>Wraps a NETLINK_NETFILTER connection (or a test's stand-in), which the client then owns. Sends nothing.</summary>
    public static ConntrackClient Open(NetlinkConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new ConntrackClient(connection);
    }

    /// <summary>Lists the entries of both address families that match <paramref name="filter"/> (all when null).</summary>
    public IReadOnlyList<ConntrackEntry> List(ConntrackFilter? filter = null)
    {
        using var request = new NetlinkBuffer(RequestSize);
        Begin(request, MsgCtGet, NetlinkMessageFlags.None, LinuxAddressFamily.Unspecified, out NetlinkMessageToken message).EndMessage(message);
        List<ConntrackEntry> entries = _connection.Dump(request, ParseEntry, "list conntrack entries");
        return filter is null ? entries : [.. entries.Where(filter.Matches)];
    }

    /// <summary>
    /// Deletes every entry <paramref name="filter"/> matches, one request each; returns how many it deleted.
    /// An entry that expired between the listing and the delete (ENOENT) is not an error.
    /// </summary>
    public int Delete(ConntrackFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Delete([filter]);
    }

    /// <summary>
    /// Deletes every entry that any of <paramref name="filters"/> matches, from one listing of the table however many
    /// filters there are; returns how many it deleted. An entry that expired between the listing and the delete
    /// (ENOENT) is not an error.
    /// </summary>
    public int Delete(IReadOnlyCollection<ConntrackFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            return 0;
        }
        var index = new ConntrackFilterIndex(filters);
        ConntrackEntry[] doomed = [.. List().Where(index.Matches)];
        int deleted = 0;
        using var request = new NetlinkBuffer(RequestSize);
        foreach (ConntrackEntry entry in doomed)
        {
            var writer = Begin(request, MsgCtDelete, NetlinkMessageFlags.None, Family(entry.Original.Source), out NetlinkMessageToken message);
            WriteTuple(ref writer, CtaTupleOrig, entry.Original);
            writer.EndMessage(message);
            try
            {
                _connection.Execute(request, "delete conntrack entry", Describe(entry.Original));
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
        using var request = new NetlinkBuffer(RequestSize);
        Begin(request, MsgCtDelete, NetlinkMessageFlags.None, LinuxAddressFamily.Unspecified, out NetlinkMessageToken message).EndMessage(message);
        _connection.Execute(request, "flush conntrack table", null);
    }

    private static NetlinkWriter Begin(NetlinkBuffer request, byte command, NetlinkMessageFlags flags, byte family, out NetlinkMessageToken message)
    {
        request.Clear();
        var writer = new NetlinkWriter(request);
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

    private static byte Family(IPAddress address) => LinuxAddressFamily.Of(address);

    private static string Describe(ConntrackTuple t) => $"proto {t.Protocol} {EndpointText.Format(t.Source, t.SourcePort)} -> {EndpointText.Format(t.Destination, t.DestinationPort)}";

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
    public void Dispose() => _connection.Dispose();
}
