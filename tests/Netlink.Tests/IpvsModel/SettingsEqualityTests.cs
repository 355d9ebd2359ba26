using System.Net;
using Netlink.Ipvs;
using Netlink.Ipvs.Codec;
using Netlink.Tests.IpvsCodec;

namespace Netlink.Tests.IpvsModel;

/// <summary>Record equality of the settings types means "same settings": what the kernel adds does not count.</summary>
public sealed class SettingsEqualityTests
{
    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);

    [Fact]
    public void Services_WithTheKernelsOwnFlags_EqualThoseWithout()
    {
        var written = new VirtualService(Web) { Scheduler = "rr", PersistenceTimeout = 300, Flags = ServiceFlags.OnePacket };
        VirtualService asRead = written with { Flags = ServiceFlags.OnePacket | ServiceFlags.Hashed | ServiceFlags.Persistent };
        Assert.Equal(written, asRead);
        Assert.Equal(written.GetHashCode(), asRead.GetHashCode());
        Assert.Equal(ServiceFlags.OnePacket, asRead.Flags);
        Assert.True(asRead.IsPersistent);
    }

    [Fact]
    public void Services_TheDefaultNetmaskGivenOrNot_AndAnEmptyEngine_AreEqual()
    {
        var plain = new VirtualService(Web);
        Assert.Equal(plain, plain with { Netmask = PersistenceNetmask.SingleAddress(Web.Family), PersistenceEngine = "" });
        Assert.Null((plain with { Netmask = PersistenceNetmask.FromIpv4Mask(uint.MaxValue) }).Netmask);
    }

    [Fact]
    public void Services_DifferingInAnySetting_AreNotEqual()
    {
        var service = new VirtualService(Web) { Scheduler = "rr" };
        Assert.NotEqual(service, service with { Scheduler = "wrr" });
        Assert.NotEqual(service, service with { PersistenceTimeout = 1 });
        Assert.NotEqual(service, service with { Flags = ServiceFlags.SchedulerFlag1 });
        Assert.NotEqual(service, service with { PersistenceEngine = "sip" });
        // 0.0.0.0 puts every client in one group: a setting, not the default.
        Assert.NotEqual(service, service with { Netmask = PersistenceNetmask.FromIpv4Mask(0) });
        Assert.NotEqual(service, service with { Key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 81) });
    }

    [Fact]
    public void RealServers_CompareTunnelSettings_OnlyForTunnels()
    {
        var masq = new RealServer(IPAddress.Parse("198.19.0.1"), 80) { Forwarding = ForwardingMethod.Masquerade, Weight = 2 };
        RealServer leftover = masq with { TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.Checksum };
        Assert.Equal(masq, leftover);
        Assert.Equal(masq.GetHashCode(), leftover.GetHashCode());

        RealServer gue = leftover with { Forwarding = ForwardingMethod.Tunnel };
        Assert.NotEqual(masq, gue);
        Assert.NotEqual(gue, gue with { TunnelPort = 6081 });
        Assert.NotEqual(gue, gue with { TunnelFlags = TunnelFlags.RemoteChecksum });
        Assert.NotEqual(gue, gue with { TunnelType = TunnelType.Gre });
    }

    [Fact]
    public void RealServers_DifferingInAnySetting_AreNotEqual_ButKeepTheirEndpoint()
    {
        var server = new RealServer(IPAddress.Parse("198.19.0.1"), 80);
        Assert.Equal(server, new RealServer(IPAddress.Parse("::ffff:198.19.0.1"), 80));
        Assert.NotEqual(server, server with { Weight = 0 });
        Assert.NotEqual(server, server with { Forwarding = ForwardingMethod.Masquerade });
        Assert.NotEqual(server, server with { UpperThreshold = 1 });
        Assert.NotEqual(server, server with { LowerThreshold = 1 });
        Assert.NotEqual(server, server with { Port = 81 });
        Assert.True(server.SameEndpoint(server with { Weight = 0 }));
        Assert.False(server.SameEndpoint(server with { Port = 81 }));
        Assert.False(server.Equals(null));
    }

    [Fact]
    public void KernelRecordedReplies_EqualTheIpvsadmCommandsThatMadeThem()
    {
        // ipvsadm -A -t 198.18.0.1:80 -s wrr -p 600 -M 255.255.255.0
        ObservedVirtualService service = Decode(IpvsReplyDecodeTests.RecordedService, IpvsReplyParser.ParseServiceMessage);
        Assert.Equal(
            new VirtualService(Web) { Scheduler = "wrr", PersistenceTimeout = 600, Netmask = PersistenceNetmask.FromIpv4PrefixLength(24) },
            service.Settings);
        // ipvsadm -a -t 198.18.0.1:80 -r 198.19.0.2:8080 -m -w 3 -x 100 -y 10
        ObservedRealServer server = Decode(IpvsReplyDecodeTests.RecordedDest, m => IpvsReplyParser.ParseRealServerMessage(m, System.Net.Sockets.AddressFamily.InterNetwork));
        Assert.Equal(
            new RealServer(IPAddress.Parse("198.19.0.2"), 8080) { Forwarding = ForwardingMethod.Masquerade, Weight = 3, UpperThreshold = 100, LowerThreshold = 10 },
            server.Settings);
    }

    [Fact]
    public void Observations_DoNotChangeTheSettings()
    {
        var settings = new RealServer(IPAddress.Parse("198.19.0.1"), 80);
        var idle = new ObservedRealServer(settings);
        ObservedRealServer busy = idle with { ActiveConnections = 10, Statistics = new IpvsStatistics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) };
        Assert.NotEqual(idle, busy);
        Assert.Equal(idle.Settings, busy.Settings);
        Assert.Equal(busy.Statistics!.Value.TruncatedTo32Bits(), busy.Statistics32);
    }

    private static T Decode<T>(string payloadHex, Func<NetlinkMessage, T> decode)
    {
        var reader = new NetlinkMessageReader(IpvsReplyDecodeTests.Message(payloadHex));
        Assert.True(reader.TryRead(out NetlinkMessage message));
        return decode(message);
    }
}
