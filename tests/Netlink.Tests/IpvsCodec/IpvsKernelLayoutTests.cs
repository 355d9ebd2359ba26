using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;

namespace Netlink.Tests.IpvsCodec;

/// <summary>
/// A real server reply laid out exactly as ip_vs_genl_fill_dest writes it is read at fixed offsets; any other layout
/// by walking its attributes. Every field here has a value of its own, so a wrong offset shows as a wrong field, and
/// the same attributes in another order (which only the walk can read) must give the same record.
/// </summary>
public sealed class IpvsKernelLayoutTests
{
    private static readonly byte[][] KernelOrder =
    [
        KernelReplies.Attr(IpvsConstants.DestAttrAddr, [0x20, 0x01, 0x0d, 0xb8, .. new byte[10], 0x12, 0x34]),
        KernelReplies.Attr(IpvsConstants.DestAttrPort, [0x1f, 0x90]),
        KernelReplies.AttrU32(IpvsConstants.DestAttrFwdMethod, 2 | 0x0100),
        KernelReplies.AttrU32(IpvsConstants.DestAttrWeight, 7),
        KernelReplies.AttrU8(IpvsConstants.DestAttrTunType, 1),
        KernelReplies.Attr(IpvsConstants.DestAttrTunPort, [0x17, 0xc0]),
        KernelReplies.AttrU16(IpvsConstants.DestAttrTunFlags, 3),
        KernelReplies.AttrU32(IpvsConstants.DestAttrUThresh, 1000),
        KernelReplies.AttrU32(IpvsConstants.DestAttrLThresh, 800),
        KernelReplies.AttrU32(IpvsConstants.DestAttrActiveConns, 11),
        KernelReplies.AttrU32(IpvsConstants.DestAttrInactConns, 12),
        KernelReplies.AttrU32(IpvsConstants.DestAttrPersistConns, 13),
        KernelReplies.AttrU16(IpvsConstants.DestAttrAddrFamily, LinuxAddressFamily.Inet6),
        KernelReplies.Nested(IpvsConstants.DestAttrStats, false,
        [
            .. Enumerable.Range(1, 10).Select(i => i is 4 or 5
                ? KernelReplies.AttrU64((ushort)i, 32_000 + (ulong)i)
                : KernelReplies.AttrU32((ushort)i, 32_000 + (uint)i)),
        ]),
        KernelReplies.Nested(IpvsConstants.DestAttrStats64, false, [.. Enumerable.Range(1, 10).Select(i => KernelReplies.AttrU64((ushort)i, 64_000_000_000 + (ulong)i))]),
    ];

    private static readonly ObservedRealServer Expected = new(new RealServer(IPAddress.Parse("2001:db8::1234"), 8080)
    {
        Forwarding = ForwardingMethod.Tunnel,
        Weight = 7,
        TunnelType = TunnelType.Gue,
        TunnelPort = 6080,
        TunnelFlags = TunnelFlags.Checksum | TunnelFlags.RemoteChecksum,
        UpperThreshold = 1000,
        LowerThreshold = 800,
    })
    {
        ActiveConnections = 11,
        InactiveConnections = 12,
        PersistentConnections = 13,
        Statistics = new IpvsStatistics(64_000_000_001, 64_000_000_002, 64_000_000_003, 64_000_000_004, 64_000_000_005,
            64_000_000_006, 64_000_000_007, 64_000_000_008, 64_000_000_009, 64_000_000_010),
    };

    private static byte[] Dest(IEnumerable<byte[]> attributes) => KernelReplies.Nested(IpvsConstants.CmdAttrDest, false, [.. attributes]);

    private static ObservedRealServer DecodeMessage(byte[] dest)
    {
        byte[] datagram = KernelReplies.Message(35, NetlinkMessageFlags.Multi, 1, 0, KernelReplies.GenericPayload(IpvsConstants.CmdNewDest, 1, dest));
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        // The service's family is IPv4: the reply's own IPVS_DEST_ATTR_ADDR_FAMILY must win.
        return IpvsReplyParser.ParseRealServerMessage(message, AddressFamily.InterNetwork);
    }

    [Fact]
    public void KernelLayout_EveryFieldComesFromItsOwnAttribute()
    {
        byte[] dest = Dest(KernelOrder);
        Assert.Equal(4 + 332, dest.Length); // the layout read at fixed offsets, header included
        ObservedRealServer decoded = DecodeMessage(dest);
        Assert.Equal(Expected, decoded);
        Assert.Equal(Expected.Settings, decoded.Settings);
    }

    [Fact]
    public void KernelLayout_ReadsAsTheAttributeWalkDoes()
    {
        byte[] dest = Dest(KernelOrder);
        ObservedRealServer walked = IpvsReplyParser.ParseRealServer(new NetlinkAttributeReader(dest.AsSpan(4)), AddressFamily.InterNetwork);
        Assert.Equal(walked, DecodeMessage(dest));
    }

    [Fact]
    public void SameAttributesInAnotherOrder_DecodeAlike()
    {
        Assert.Equal(Expected, DecodeMessage(Dest(KernelOrder.Reverse())));
    }

    [Fact]
    public void KernelLayoutWithAnExtraAttribute_IsWalked()
    {
        // A newer kernel's attribute at the end: 8 bytes more than the fixed layout, so it must be walked.
        Assert.Equal(Expected, DecodeMessage(Dest([.. KernelOrder, KernelReplies.AttrU32(99, 5)])));
    }

    [Theory]
    [InlineData(0, 1, 0x30)] // IPVS_DEST_ATTR_ADDR's nla_len past the nest
    [InlineData(12, 0, 3)] // IPVS_DEST_ATTR_ADDR_FAMILY's nla_len shorter than a header
    [InlineData(14, 0, 0xff)] // STATS64's nla_len past the nest
    public void KernelSizedNestWithABadLength_ThrowsTheProtocolException(int attribute, int byteInLength, byte value)
    {
        byte[][] attributes = [.. KernelOrder.Select(a => (byte[])a.Clone())];
        attributes[attribute][byteInLength] = value;
        Assert.Throws<NetlinkProtocolException>(() => DecodeMessage(Dest(attributes)));
    }

    [Fact]
    public void KernelLayoutWithAnUnknownAddressFamily_ThrowsTheProtocolException()
    {
        byte[][] attributes = [.. KernelOrder];
        attributes[12] = KernelReplies.AttrU16(IpvsConstants.DestAttrAddrFamily, 7);
        Assert.Throws<NetlinkProtocolException>(() => DecodeMessage(Dest(attributes)));
    }
}
