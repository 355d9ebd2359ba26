using System.Net;
using Netlink.Netfilter.Conntrack;
using Netlink.Testing;
using Netlink.Tests.Core;

namespace Netlink.Tests.Conntrack;

/// <summary>ctnetlink requests byte for byte, entry decoding, filters, and mangled replies.</summary>
public sealed class ConntrackClientUnitTests
{
    private const ushort CtNew = 0x0100; // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW

    /// <summary>An entry as the kernel dumps it: UDP 198.18.5.1:40001 -> 198.18.5.2:5353, reply from .2:5353.</summary>
    private static byte[] EntryPayload(ushort sourcePort = 40001) =>
    [
        2, 0, 0, 0, // struct nfgenmsg: AF_INET, NFNETLINK_V0, res_id 0
        .. KernelReplies.Nested(1, true, // CTA_TUPLE_ORIG
            KernelReplies.Nested(1, true, KernelReplies.Attr(1, [198, 18, 5, 1]), KernelReplies.Attr(2, [198, 18, 5, 2])),
            KernelReplies.Nested(2, true, KernelReplies.AttrU8(1, 17), KernelReplies.Attr(2, [(byte)(sourcePort >> 8), (byte)sourcePort]), KernelReplies.Attr(3, [0x14, 0xe9]))),
        .. KernelReplies.Nested(2, true, // CTA_TUPLE_REPLY
            KernelReplies.Nested(1, true, KernelReplies.Attr(1, [198, 18, 5, 2]), KernelReplies.Attr(2, [198, 18, 5, 1])),
            KernelReplies.Nested(2, true, KernelReplies.AttrU8(1, 17), KernelReplies.Attr(2, [0x14, 0xe9]), KernelReplies.Attr(3, [(byte)(sourcePort >> 8), (byte)sourcePort]))),
        .. KernelReplies.Attr(3, [0, 0, 0, 0x08]),  // CTA_STATUS = IPS_CONFIRMED, big-endian
        .. KernelReplies.Attr(7, [0, 0, 0, 30]),    // CTA_TIMEOUT = 30 s
        .. KernelReplies.Attr(8, [0, 0, 0, 0]),     // CTA_MARK
        .. KernelReplies.Attr(12, [0, 0, 1, 0]),    // CTA_ID
        .. KernelReplies.AttrU32(99, 1),            // unknown: skipped
    ];

    [Fact]
    public void ParseEntry_DecodesBothTuplesAndTheBigEndianFields()
    {
        byte[] datagram = KernelReplies.Message(CtNew, NetlinkMessageFlags.Multi, 1, 0, EntryPayload());
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        ConntrackEntry entry = ConntrackClient.ParseEntry(message);
        Assert.Equal(new ConntrackTuple(IPAddress.Parse("198.18.5.1"), IPAddress.Parse("198.18.5.2"), 17, 40001, 5353), entry.Original);
        Assert.Equal(new ConntrackTuple(IPAddress.Parse("198.18.5.2"), IPAddress.Parse("198.18.5.1"), 17, 5353, 40001), entry.Reply);
        Assert.Equal(8u, entry.Status);
        Assert.Equal(30u, entry.TimeoutSeconds);
        Assert.Equal(256u, entry.Id);
        Assert.True(new ConntrackFilter { Protocol = 17, ReplySource = IPAddress.Parse("198.18.5.2"), ReplySourcePort = 5353 }.Matches(entry));
        Assert.False(new ConntrackFilter { Protocol = 6 }.Matches(entry));
        Assert.False(new ConntrackFilter { OriginalDestinationPort = 53 }.Matches(entry));
    }

    [Fact]
    public void Delete_SendsTheOriginalTuple_Golden()
    {
        var transport = new ScriptedTransport(sent => sent.Select(m => m.Type == 0x0101
            ? KernelReplies.Datagram(KernelReplies.DumpEntry(m, CtNew, EntryPayload()), KernelReplies.Done(m))
            : KernelReplies.Ack(m)));
        using var conntrack = ConntrackClient.Open(new NetlinkConnection(transport));
        Assert.Equal(1, conntrack.Delete(new ConntrackFilter { Protocol = 17 }));
        SentMessage delete = transport.SentMessages.Last();
        Assert.Equal(0x0102, delete.Type); // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE
        Assert.Equal(WireHex.Format(WireHex.Parse(
            "02", "00", "0000",                 // nfgenmsg: AF_INET, NFNETLINK_V0, res_id
            "3400", "0180",                     // CTA_TUPLE_ORIG, nested, 52 bytes
            "1400", "0180",                     //   CTA_TUPLE_IP, 20 bytes
            "0800", "0100", "c6120501",         //     CTA_IP_V4_SRC 198.18.5.1
            "0800", "0200", "c6120502",         //     CTA_IP_V4_DST 198.18.5.2
            "1c00", "0280",                     //   CTA_TUPLE_PROTO, 28 bytes
            "0500", "0100", "11", "000000",     //     CTA_PROTO_NUM = UDP
            "0600", "0200", "9c41", "0000",     //     CTA_PROTO_SRC_PORT = 40001, big-endian
            "0600", "0300", "14e9", "0000")),   //     CTA_PROTO_DST_PORT = 5353
            WireHex.Format(delete.Payload));
    }

    [Fact]
    public void ReplySourceNotIn_MatchesOnlyEntriesAnsweredByNoneOfTheSet()
    {
        var entry = new ConntrackEntry(
            new ConntrackTuple(IPAddress.Parse("198.18.5.1"), IPAddress.Parse("198.18.5.2"), 17, 40001, 5353),
            new ConntrackTuple(IPAddress.Parse("198.19.5.7"), IPAddress.Parse("198.18.5.1"), 17, 5353, 40001), 0, 30, 0, 0);
        ConntrackFilter NotIn(params string[] sources) => new() { ReplySourceNotIn = sources.Select(IPAddress.Parse).ToHashSet() };

        Assert.False(NotIn("198.19.5.7", "198.19.5.8").Matches(entry)); // answered by a real server of the set
        Assert.True(NotIn("198.19.5.8").Matches(entry));
        Assert.True(NotIn().Matches(entry)); // an empty set spares nothing
        Assert.False(NotIn("198.19.5.8").Matches(entry with { Reply = null })); // nothing known of the reply: spared
        Assert.False((NotIn("198.19.5.8") with { OriginalDestinationPort = 53 }).Matches(entry)); // every criterion counts
    }

    [Fact]
    public void DeleteWithManyFilters_ListsTheTableOnce_AndDeletesWhatAnyOfThemMatches()
    {
        var transport = new ScriptedTransport(sent => sent.Select(m => m.Type == 0x0101
            ? KernelReplies.Datagram(KernelReplies.DumpEntry(m, CtNew, EntryPayload(40001)), KernelReplies.DumpEntry(m, CtNew, EntryPayload(40002)), KernelReplies.Done(m))
            : KernelReplies.Ack(m)));
        using var conntrack = ConntrackClient.Open(new NetlinkConnection(transport));
        ConntrackFilter[] filters =
        [
            new() { OriginalDestination = IPAddress.Parse("198.18.5.2"), ReplySourceNotIn = new HashSet<IPAddress> { IPAddress.Parse("198.18.5.2") } }, // none
            new() { OriginalDestination = IPAddress.Parse("198.18.5.9") }, // another destination: none
            new() { OriginalDestination = IPAddress.Parse("198.18.5.2"), OriginalDestinationPort = 5353 }, // both
            new() { Protocol = 17 }, // any destination: both again, deleted once
        ];

        Assert.Equal(2, conntrack.Delete(filters));

        Assert.Equal(1, transport.SentMessages.Count(m => m.Type == 0x0101));
        Assert.Equal(2, transport.SentMessages.Count(m => m.Type == 0x0102));
        Assert.Equal(0, conntrack.Delete(Array.Empty<ConntrackFilter>()));
        Assert.Equal(1, transport.SentMessages.Count(m => m.Type == 0x0101)); // no filter, no listing
    }

    [Fact]
    public void MangledEntries_OnlyThrowTheProtocolException()
    {
        byte[] valid = KernelReplies.Message(CtNew, NetlinkMessageFlags.Multi, 1, 0, EntryPayload());
        var random = new Random(11);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] bytes = (byte[])valid.Clone();
            if (i % 3 == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }
            else
            {
                bytes[random.Next(16, bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
            try
            {
                var reader = new NetlinkMessageReader(bytes);
                while (reader.TryRead(out NetlinkMessage message))
                {
                    ConntrackClient.ParseEntry(message);
                }
            }
            catch (NetlinkProtocolException)
            {
            }
        }
    }
}
