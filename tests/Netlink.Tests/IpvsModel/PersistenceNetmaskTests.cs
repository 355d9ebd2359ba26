using Netlink.Testing;
using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;

namespace Netlink.Tests.IpvsModel;

/// <summary>IPVS_SVC_ATTR_NETMASK: an IPv4 mask or an IPv6 prefix length, never one taken for the other.</summary>
public sealed class PersistenceNetmaskTests
{
    private static readonly VirtualServiceKey V4 = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);
    private static readonly VirtualServiceKey V6 = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("2001:db8::1"), 80);

    [Fact]
    public void AnIpv4Mask_OnAnIpv6Service_IsRefused_AndTheReverse()
    {
        ArgumentException onV6 = Assert.Throws<ArgumentException>(() => new VirtualService(V6) { Netmask = PersistenceNetmask.FromIpv4PrefixLength(24) });
        Assert.Contains("IPv4 mask 255.255.255.0 does not fit: an IPv6 service takes a prefix length", onV6.Message, StringComparison.Ordinal);
        ArgumentException onV4 = Assert.Throws<ArgumentException>(() => new VirtualService(V4) { Netmask = PersistenceNetmask.FromIpv6PrefixLength(64) });
        Assert.Contains("IPv6 prefix length 64 does not fit: an IPv4 service takes a mask", onV4.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new VirtualService(VirtualServiceKey.ForFirewallMark(1, AddressFamily.InterNetworkV6)) { Netmask = PersistenceNetmask.FromIpv4Mask(0) });
        Assert.Throws<ArgumentException>(() => new VirtualService(V4) { Netmask = default(PersistenceNetmask) });
    }

    [Fact]
    public void AKeyChangedAfterTheNetmask_IsRefusedWhenWritten()
    {
        VirtualService moved = new VirtualService(V4) { Netmask = PersistenceNetmask.FromIpv4PrefixLength(24) } with { Key = V6 };
        using var buffer = new NetlinkBuffer();
        Assert.Throws<ArgumentException>(() => IpvsRequestWriter.WriteService(buffer, 35, moved, update: false));
    }

    [Fact]
    public void Factories_CheckTheirRanges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PersistenceNetmask.FromIpv6PrefixLength(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PersistenceNetmask.FromIpv6PrefixLength(129));
        Assert.Throws<ArgumentOutOfRangeException>(() => PersistenceNetmask.FromIpv4PrefixLength(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PersistenceNetmask.FromIpv4PrefixLength(33));
        Assert.Throws<ArgumentException>(() => PersistenceNetmask.FromIpv4Mask(IPAddress.Parse("ffff::")));
        Assert.Throws<ArgumentOutOfRangeException>(() => PersistenceNetmask.SingleAddress(AddressFamily.Unix));
    }

    [Fact]
    public void EachFamily_ReadsOnlyItsOwnValue()
    {
        PersistenceNetmask v4 = PersistenceNetmask.FromIpv4Mask(IPAddress.Parse("255.255.0.0"));
        Assert.Equal((AddressFamily.InterNetwork, 0xFFFF0000u, "255.255.0.0"), (v4.Family, v4.Ipv4Mask, v4.ToString()));
        Assert.Throws<InvalidOperationException>(() => v4.Ipv6PrefixLength);
        PersistenceNetmask v6 = PersistenceNetmask.FromIpv6PrefixLength(48);
        Assert.Equal((AddressFamily.InterNetworkV6, 48, "48"), (v6.Family, v6.Ipv6PrefixLength, v6.ToString()));
        Assert.Throws<InvalidOperationException>(() => v6.Ipv4Mask);
        // The same number in two families is two different netmasks.
        Assert.NotEqual(PersistenceNetmask.FromIpv4Mask(64), PersistenceNetmask.FromIpv6PrefixLength(64));
    }

    [Theory]
    [InlineData(0, 0u)]
    [InlineData(1, 0x80000000u)]
    [InlineData(24, 0xFFFFFF00u)]
    [InlineData(32, 0xFFFFFFFFu)]
    public void Ipv4PrefixLengths_BecomeMasks(int prefixLength, uint mask) =>
        Assert.Equal(PersistenceNetmask.FromIpv4Mask(mask), PersistenceNetmask.FromIpv4PrefixLength(prefixLength));

    [Fact]
    public void TheSingleAddressDefault_IsPerFamily()
    {
        Assert.True(PersistenceNetmask.SingleAddress(AddressFamily.InterNetwork).IsSingleAddress);
        Assert.Equal(0xFFFFFFFFu, new VirtualService(V4).EffectiveNetmask.Ipv4Mask);
        Assert.Equal(128, new VirtualService(V6).EffectiveNetmask.Ipv6PrefixLength);
        Assert.False(PersistenceNetmask.FromIpv4Mask(0).IsSingleAddress);
        Assert.False(PersistenceNetmask.FromIpv6PrefixLength(127).IsSingleAddress);
    }

    [Fact]
    public void AnIpv6ReplyWithAPrefixLengthOutOfRange_IsAProtocolError()
    {
        byte[] service = KernelReplies.Nested(IpvsConstants.CmdAttrService, false,
            KernelReplies.AttrU16(IpvsConstants.SvcAttrAf, 10),
            KernelReplies.AttrU16(IpvsConstants.SvcAttrProtocol, 6),
            KernelReplies.Attr(IpvsConstants.SvcAttrAddr, IPAddress.Parse("2001:db8::1").GetAddressBytes()),
            KernelReplies.Attr(IpvsConstants.SvcAttrPort, [0, 80]),
            KernelReplies.AttrU32(IpvsConstants.SvcAttrNetmask, 129));
        byte[] datagram = KernelReplies.Message(35, NetlinkMessageFlags.None, 1, 0, KernelReplies.GenericPayload(IpvsConstants.CmdNewService, 1, service));
        Assert.Throws<NetlinkProtocolException>(() => ParseService(datagram));
    }

    private static ObservedVirtualService ParseService(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        return IpvsReplyParser.ParseServiceMessage(message);
    }
}
