using Netlink.Generic;

namespace Netlink.Fuzz.Targets;

/// <summary>
/// The core reader: every message and attribute of a datagram with every getter and every nesting (what each family's
/// parser is built from), then the connection's own handling of acks, errors with extended acks, and dumps.
/// </summary>
public sealed class NetlinkCoreTarget() : NetlinkReplyTarget(
    "netlink-core",
    "netlink messages and attributes read every way, then a request, a query and a dump answered by the input",
    ReadFirstDatagram,
    connection => connection.Execute(Request(NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack), "fuzz request", "target"),
    connection => connection.Query(Request(NetlinkMessageFlags.Request), GenericNetlinkResolver.Parse, "fuzz query", null),
    connection => connection.Dump(Request(NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump), GenericNetlinkResolver.Parse, "fuzz dump"))
{
    private const int MaxDepth = 8;

    private static NetlinkBuffer Request(NetlinkMessageFlags flags)
    {
        var buffer = new NetlinkBuffer(64);
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken message = writer.BeginMessage(GenericNetlinkResolver.ControllerId + 1, flags, 0);
        writer.WriteGenericHeader(1, 1);
        writer.EndMessage(message);
        return buffer;
    }

    /// <summary>The raw reader on the first datagram, outside any connection.</summary>
    private static void ReadFirstDatagram(NetlinkConnection connection)
    {
        using var buffer = new NetlinkBuffer(64);
        connection.Transport.Receive(buffer);
        var reader = new NetlinkMessageReader(buffer.WrittenSpan);
        while (reader.TryRead(out NetlinkMessage message))
        {
            foreach (int fixedHeader in (ReadOnlySpan<int>)[0, 4, 20])
            {
                try
                {
                    ReadAttributes(message.Attributes(fixedHeader), 0);
                }
                catch (NetlinkProtocolException)
                {
                }
            }
            try
            {
                GenericNetlinkResolver.Parse(message);
            }
            catch (NetlinkProtocolException)
            {
            }
        }
    }

    private static void ReadAttributes(NetlinkAttributeReader reader, int depth)
    {
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            for (int getter = 0; getter < Getters; getter++)
            {
                try
                {
                    Get(attribute, getter);
                }
                catch (NetlinkProtocolException)
                {
                }
            }
            if (depth < MaxDepth)
            {
                try
                {
                    ReadAttributes(attribute.GetNested(), depth + 1);
                }
                catch (NetlinkProtocolException)
                {
                }
            }
        }
    }

    private const int Getters = 10;

    private static void Get(NetlinkAttribute attribute, int getter)
    {
        switch (getter)
        {
            case 0: attribute.GetByte(); break;
            case 1: attribute.GetUInt16(); break;
            case 2: attribute.GetUInt32(); break;
            case 3: attribute.GetInt32(); break;
            case 4: attribute.GetUInt64(); break;
            case 5: attribute.GetUInt16BigEndian(); break;
            case 6: attribute.GetUInt32BigEndian(); break;
            case 7: attribute.GetUInt64BigEndian(); break;
            case 8: attribute.GetString(); break;
            default: attribute.GetStringBytes(); break;
        }
    }
}
