using Netlink.Testing;
using static Netlink.Testing.KernelReplies;

namespace Netlink.Tests.Core;

/// <summary>The made-up generic netlink family the core's connection tests talk to, and its one-number dump entries.</summary>
internal static class GenericTestMessages
{
    /// <summary>The family id the requests carry (any id will do: the scripted kernel answers whatever it is sent).</summary>
    public const ushort Family = 0x1d;

    /// <summary>A request of command 4 with no attributes (the connection adds the dump or ack flags).</summary>
    public static NetlinkBuffer Request()
    {
        var buffer = new NetlinkBuffer();
        var w = new NetlinkWriter(buffer);
        NetlinkMessageToken m = w.BeginMessage(Family, NetlinkMessageFlags.Request, 0);
        w.WriteGenericHeader(4, 1);
        w.EndMessage(m);
        return buffer;
    }

    /// <summary>A dump entry answering <paramref name="request"/> that carries <paramref name="value"/> as attribute 1.</summary>
    public static byte[] Entry(SentMessage request, uint value, NetlinkMessageFlags extra = 0) =>
        DumpEntry(request, Family, GenericPayload(1, 1, AttrU32(1, value)), extra);
}
