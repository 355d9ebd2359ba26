using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Testing;
using Netlink.Tests.Core;

namespace Netlink.Tests.IpvsCodec;

/// <summary>
/// Replies recorded from Debian's 6.12 kernel in the VM, after
/// `ipvsadm -A -t 198.18.0.1:80 -s wrr -p 600 -M 255.255.255.0` and
/// `ipvsadm -a -t 198.18.0.1:80 -r 198.19.0.2:8080 -m -w 3 -x 100 -y 10`
/// (the generic netlink payloads of one GET_SERVICE and one GET_DEST dump entry). Note that the kernel does not
/// set NLA_F_NESTED on its nests, and sends both STATS and STATS64.
/// </summary>
public sealed class IpvsReplyDecodeTests
{
    internal const string RecordedService = "010100002c0101000600010002000000060002000600000014000300c6120001000000000000000000000000060004000050000008000600777272000c00070003000000ffffffff080008005802000008000900ffffff005c000a000800010000000000080002000000000008000300000000000c00040000000000000000000c0005000000000000000000080006000000000008000700000000000800080000000000080009000000000008000a00000000007c000c000c00010000000000000000000c00020000000000000000000c00030000000000000000000c00040000000000000000000c00050000000000000000000c00060000000000000000000c00070000000000000000000c00080000000000000000000c00090000000000000000000c000a000000000000000000";

    internal const string RecordedDest = "050100005001020014000100c6130002000000000000000000000000060002001f9000000800030000000000080004000300000005000d000000000006000e000000000006000f00000000000800050064000000080006000a00000008000700000000000800080000000000080009000000000006000b00020000005c000a000800010000000000080002000000000008000300000000000c00040000000000000000000c0005000000000000000000080006000000000008000700000000000800080000000000080009000000000008000a00000000007c000c000c00010000000000000000000c00020000000000000000000c00030000000000000000000c00040000000000000000000c00050000000000000000000c00060000000000000000000c00070000000000000000000c00080000000000000000000c00090000000000000000000c000a000000000000000000";

    private const ushort Family = 35;

    internal static byte[] Message(string payloadHex) =>
        KernelReplies.Message(Family, NetlinkMessageFlags.Multi, 7, 0x4321, Convert.FromHexString(payloadHex));

    private static T Decode<T>(byte[] datagram, Func<NetlinkMessage, T> decode)
    {
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        return decode(message);
    }

    [Fact]
    public void RecordedService_DecodesEveryField()
    {
        ObservedVirtualService observed = Decode(Message(RecordedService), IpvsReplyParser.ParseServiceMessage);
        VirtualService service = observed.Settings;
        Assert.Equal(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80), service.Key);
        Assert.Equal("wrr", service.Scheduler);
        Assert.Equal(ServiceFlags.Persistent | ServiceFlags.Hashed, observed.ReportedFlags);
        // The settings hold only flags a caller sets: HASHED is the kernel's, PERSISTENT is the timeout.
        Assert.Equal(ServiceFlags.None, service.Flags);
        Assert.True(service.IsPersistent);
        Assert.Equal(600u, service.PersistenceTimeout);
        Assert.Equal(PersistenceNetmask.FromIpv4Mask(0xFFFFFF00u), service.Netmask);
        Assert.Null(service.PersistenceEngine);
        Assert.Equal(IpvsStatistics.Zero, observed.Statistics);
        Assert.Equal(IpvsStatistics.Zero, observed.Statistics32);
    }

    [Fact]
    public void RecordedRealServer_DecodesEveryField()
    {
        ObservedRealServer observed = Decode(Message(RecordedDest), m => IpvsReplyParser.ParseRealServerMessage(m, AddressFamily.InterNetwork));
        RealServer server = observed.Settings;
        Assert.Equal(IPAddress.Parse("198.19.0.2"), server.Address);
        Assert.Equal(8080, server.Port);
        Assert.Equal(ForwardingMethod.Masquerade, server.Forwarding);
        Assert.Equal(3, server.Weight);
        Assert.Equal(100u, server.UpperThreshold);
        Assert.Equal(10u, server.LowerThreshold);
        Assert.Equal(0u, observed.ActiveConnections);
        Assert.Equal(TunnelType.IpIp, server.TunnelType);
        Assert.NotNull(observed.Statistics);
    }

    [Fact]
    public void Statistics64_AreTakenOverThe32BitOnes_AndUnknownAttributesAreSkipped()
    {
        byte[] stats64 = KernelReplies.Nested(IpvsConstants.DestAttrStats64, false,
            KernelReplies.AttrU64(IpvsConstants.StatsAttrConns, 5_000_000_000),
            KernelReplies.AttrU64(IpvsConstants.StatsAttrInPkts, 7),
            KernelReplies.AttrU64(IpvsConstants.StatsAttrOutBytes, 9),
            KernelReplies.AttrU64(IpvsConstants.StatsAttrInBps, 11),
            KernelReplies.AttrU64(99, 1));
        byte[] dest = KernelReplies.Nested(IpvsConstants.CmdAttrDest, false,
            KernelReplies.Attr(IpvsConstants.DestAttrAddr, [198, 19, 0, 2, .. new byte[12]]),
            KernelReplies.Attr(IpvsConstants.DestAttrPort, [0x1f, 0x90]),
            KernelReplies.AttrU32(IpvsConstants.DestAttrWeight, 1),
            KernelReplies.AttrU32(77, 123), // an attribute from a newer kernel
            stats64);
        byte[] datagram = KernelReplies.Message(Family, NetlinkMessageFlags.Multi, 1, 0, KernelReplies.GenericPayload(IpvsConstants.CmdNewDest, 1, dest));
        ObservedRealServer server = Decode(datagram, m => IpvsReplyParser.ParseRealServerMessage(m, AddressFamily.InterNetwork));
        Assert.Equal(5_000_000_000ul, server.Statistics!.Value.Connections);
        Assert.Equal(7ul, server.Statistics.Value.IncomingPackets);
        Assert.Equal(9ul, server.Statistics.Value.OutgoingBytes);
        Assert.Equal(11ul, server.Statistics.Value.IncomingByteRate);
        // The 32-bit view cuts counts and rates to 32 bits and keeps the byte counters whole, as the kernel does.
        Assert.Equal(5_000_000_000ul & 0xFFFFFFFF, server.Statistics32!.Value.Connections);
        Assert.Equal(9ul, server.Statistics32.Value.OutgoingBytes);
    }

    [Fact]
    public void MangledReplies_OnlyEverThrowTheProtocolException()
    {
        var random = new Random(2026);
        byte[][] fixtures = [Message(RecordedService), Message(RecordedDest)];
        int protocolErrors = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = (byte[])fixtures[i % 2].Clone();
            if (i % 3 == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }
            else
            {
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(16, bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
            }
            try
            {
                var reader = new NetlinkMessageReader(bytes);
                while (reader.TryRead(out NetlinkMessage message))
                {
                    if (i % 2 == 0)
                    {
                        IpvsReplyParser.ParseServiceMessage(message);
                    }
                    else
                    {
                        IpvsReplyParser.ParseRealServerMessage(message, AddressFamily.InterNetwork);
                    }
                }
            }
            catch (NetlinkProtocolException)
            {
                protocolErrors++;
            }
        }
        Assert.InRange(protocolErrors, 1000, 20_000);
    }
}
