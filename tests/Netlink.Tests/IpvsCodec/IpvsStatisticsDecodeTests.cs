using System.Net.Sockets;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;

namespace Netlink.Tests.IpvsCodec;

/// <summary>
/// STATS64 as the kernel lays it out (the ten counters in order, each a u64 right after its header) is read at fixed
/// offsets; these check that every other layout of the same bytes still decodes by the attributes' types, and that a
/// bad length in a nest of the kernel's size still fails as a protocol error rather than giving wrong counters.
/// </summary>
public sealed class IpvsStatisticsDecodeTests
{
    private static readonly ulong[] Counters = [5_000_000_001, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    private static readonly IpvsStatistics Expected = new(5_000_000_001, 2, 3, 4, 5, 6, 7, 8, 9, 10);

    private static byte[] Counter(int index) => KernelReplies.AttrU64((ushort)(IpvsConstants.StatsAttrConns + index), Counters[index]);

    private static ObservedRealServer DecodeWithStats64(params byte[][] counters)
    {
        byte[] dest = KernelReplies.Nested(IpvsConstants.CmdAttrDest, false,
            KernelReplies.Attr(IpvsConstants.DestAttrAddr, [198, 19, 0, 2, .. new byte[12]]),
            KernelReplies.Attr(IpvsConstants.DestAttrPort, [0x1f, 0x90]),
            KernelReplies.Nested(IpvsConstants.DestAttrStats64, false, counters));
        byte[] datagram = KernelReplies.Message(35, NetlinkMessageFlags.Multi, 1, 0, KernelReplies.GenericPayload(IpvsConstants.CmdNewDest, 1, dest));
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        return IpvsReplyParser.ParseRealServerMessage(message, AddressFamily.InterNetwork);
    }

    [Fact]
    public void KernelLayout_GivesEveryCounterItsOwnValue()
    {
        ObservedRealServer server = DecodeWithStats64([.. Enumerable.Range(0, 10).Select(Counter)]);
        Assert.Equal(Expected, server.Statistics);
    }

    [Fact]
    public void SameCountersInAnotherOrder_DecodeByType()
    {
        // Same size as the kernel's layout, so only the header check keeps these from being read by position.
        ObservedRealServer server = DecodeWithStats64([.. Enumerable.Range(0, 10).Reverse().Select(Counter)]);
        Assert.Equal(Expected, server.Statistics);
    }

    [Fact]
    public void CountersWithAPaddingAttribute_DecodeByType()
    {
        // Where u64 attributes need alignment, nla_put_64bit puts an empty IPVS_STATS_ATTR_PAD (11) before them.
        byte[] pad = KernelReplies.Attr(11, []);
        ObservedRealServer server = DecodeWithStats64([pad, .. Enumerable.Range(0, 10).Select(Counter)]);
        Assert.Equal(Expected, server.Statistics);
    }

    [Fact]
    public void A32BitCounterAmongThem_IsWidened()
    {
        byte[][] counters = [.. Enumerable.Range(0, 10).Select(Counter)];
        counters[1] = KernelReplies.AttrU32(IpvsConstants.StatsAttrInPkts, 2);
        // An empty attribute of a newer kernel makes up the kernel layout's 120 bytes again.
        ObservedRealServer server = DecodeWithStats64([.. counters, KernelReplies.Attr(99, [])]);
        Assert.Equal(Expected, server.Statistics);
    }

    [Theory]
    [InlineData(0, 0, 200)] // first counter's nla_len runs past the nest
    [InlineData(4, 0, 2)] // fifth counter's nla_len shorter than a header
    [InlineData(9, 0, 8)] // last counter's nla_len cut to a u32, leaving 4 stray bytes
    [InlineData(3, 1, 0x40)] // a counter of the kernel's size with a 16-bit nla_len whose high byte is set
    public void KernelSizedNestWithABadLength_ThrowsTheProtocolException(int counter, int byteInLength, byte value)
    {
        byte[][] counters = [.. Enumerable.Range(0, 10).Select(Counter)];
        counters[counter][byteInLength] = value;
        Assert.Throws<NetlinkProtocolException>(() => DecodeWithStats64(counters));
    }
}
