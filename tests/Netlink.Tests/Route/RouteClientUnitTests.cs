using System.Net;
using Netlink.Route;
using Netlink.Testing;
using Netlink.Tests.Core;

namespace Netlink.Tests.Route;

/// <summary>rtnetlink requests byte for byte, and the decoders against well-formed and mangled replies.</summary>
public sealed class RouteClientUnitTests
{
    private static (RouteClient Client, ScriptedTransport Transport) AckingClient()
    {
        var transport = ScriptedTransport.AckEverything();
        return (RouteClient.Open(new NetlinkConnection(transport)), transport);
    }

    [Fact]
    public void CreateDummy_Golden()
    {
        (RouteClient client, ScriptedTransport transport) = AckingClient();
        using (client)
        {
            client.CreateDummy("vips0");
        }
        SentMessage sent = Assert.Single(transport.SentMessages);
        Assert.Equal(WireHex.Format(WireHex.Parse(
            "00", "00", "0000", "00000000", "00000000", "00000000", // struct ifinfomsg: any family, index 0, flags 0, change 0
            "0a00", "0300", "7669707330", "00", "0000",             // IFLA_IFNAME "vips0\0" + pad
            "1000", "1280",                                         // IFLA_LINKINFO, nested (NLA_F_NESTED), 16 bytes
            "0a00", "0100", "64756d6d79", "00", "0000")),           //   IFLA_INFO_KIND "dummy\0" + pad
            WireHex.Format(sent.Payload));
        Assert.Equal(16, sent.Type); // RTM_NEWLINK
        Assert.True(sent.Has(NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive));
    }

    [Fact]
    public void SetLinkUp_Golden_ChangesOnlyIffUp()
    {
        (RouteClient client, ScriptedTransport transport) = AckingClient();
        using (client)
        {
            client.SetLinkUp("vips0", true);
        }
        SentMessage sent = Assert.Single(transport.SentMessages);
        Assert.Equal(WireHex.Format(WireHex.Parse(
            "00", "00", "0000", "00000000", "01000000", "01000000", // ifinfomsg: flags IFF_UP, change IFF_UP
            "0a00", "0300", "7669707330", "00", "0000")),           // IFLA_IFNAME "vips0"
            WireHex.Format(sent.Payload));
    }

    [Fact]
    public void ParseLink_AndParseAddress_DecodeKernelLayout()
    {
        byte[] link = KernelReplies.Message(16, NetlinkMessageFlags.Multi, 1, 0, [
            0, 0, 1, 0, 7, 0, 0, 0, 0x43, 0x10, 1, 0, 0, 0, 0, 0, // ifinfomsg: ARPHRD_ETHER, index 7, UP|RUNNING|..
            .. KernelReplies.AttrString(3, "kube-ipvs0"),
            .. KernelReplies.AttrU32(4, 1500),
            .. KernelReplies.Attr(1, [2, 0, 0, 0, 0, 1]),
            .. KernelReplies.AttrU8(16, 6),
            .. KernelReplies.Nested(18, false, KernelReplies.AttrString(1, "dummy")),
            .. KernelReplies.AttrU32(999, 1), // unknown: skipped
        ]);
        var reader = new NetlinkMessageReader(link);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        Link parsed = RouteClient.ParseLink(message);
        Assert.Equal(new Link(7, "kube-ipvs0", "dummy", 0x11043, 1500, parsed.HardwareAddress, 6), parsed);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 1 }, parsed.HardwareAddress);
        Assert.True(parsed.IsUp);

        byte[] address = KernelReplies.Message(20, NetlinkMessageFlags.Multi, 1, 0, [
            2, 32, 0x80, 0, 7, 0, 0, 0, // ifaddrmsg: AF_INET, /32, IFA_F_PERMANENT, universe, index 7
            .. KernelReplies.Attr(1, [198, 18, 0, 1]),
            .. KernelReplies.Attr(2, [198, 18, 0, 1]),
            .. KernelReplies.AttrString(3, "kube-ipvs0"),
            .. KernelReplies.AttrU32(8, 0x80),
        ]);
        reader = new NetlinkMessageReader(address);
        Assert.True(reader.TryRead(out message));
        Assert.Equal(new InterfaceAddress(7, IPAddress.Parse("198.18.0.1"), 32, "kube-ipvs0", 0x80, 0), RouteClient.ParseAddress(message));
    }

    [Fact]
    public void MangledReplies_OnlyThrowTheProtocolException()
    {
        byte[] address = KernelReplies.Message(20, NetlinkMessageFlags.Multi, 1, 0, [
            10, 128, 0, 0, 3, 0, 0, 0, .. KernelReplies.Attr(1, new byte[16]), .. KernelReplies.AttrU32(8, 2)]);
        byte[] link = KernelReplies.Message(16, NetlinkMessageFlags.Multi, 1, 0, [
            0, 0, 1, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, .. KernelReplies.AttrString(3, "eth0"), .. KernelReplies.Nested(18, false, KernelReplies.AttrString(1, "veth"))]);
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] bytes = (byte[])(i % 2 == 0 ? address : link).Clone();
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
                    _ = i % 2 == 0 ? (object)RouteClient.ParseAddress(message) : RouteClient.ParseLink(message);
                }
            }
            catch (NetlinkProtocolException)
            {
            }
        }
    }
}
