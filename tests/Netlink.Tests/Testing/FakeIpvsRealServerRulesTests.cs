using System.Net;
using Netlink.Ipvs;
using Netlink.Testing;

namespace Netlink.Tests.Testing;

/// <summary>The fake IPVS kernel's real server rules, through the real IpvsClient.</summary>
public sealed class FakeIpvsRealServerRulesTests
{
    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);
    private static readonly VirtualServiceKey Web6 = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("2001:db8::1"), 80);

    private static int Errno(Action action) => Assert.ThrowsAny<NetlinkException>(action).ErrorNumber;

    private static RealServer Server(string address, ushort port = 8080) =>
        new(IPAddress.Parse(address), port) { Forwarding = ForwardingMethod.Masquerade };

    private static (FakeIpvsKernel Kernel, IpvsClient Ipvs) WithServices()
    {
        var kernel = new FakeIpvsKernel();
        IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web));
        ipvs.AddService(new VirtualService(Web6));
        return (kernel, ipvs);
    }

    [Fact]
    public void RealServers_ListNewestFirst_WithTheirSettings()
    {
        (FakeIpvsKernel kernel, IpvsClient ipvs) = WithServices();
        using (ipvs)
        {
            ipvs.AddRealServer(Web, Server("198.19.0.1") with { Weight = 3, UpperThreshold = 100, LowerThreshold = 50 });
            ipvs.AddRealServer(Web, Server("198.19.0.2") with { Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.Checksum });
            IReadOnlyList<RealServer> read = [.. ipvs.ListRealServers(Web).Select(o => o.Settings)];
            Assert.Equal(["198.19.0.2:8080", "198.19.0.1:8080"], read.Select(s => s.Endpoint));
            Assert.Equal(Server("198.19.0.1") with { Weight = 3, UpperThreshold = 100, LowerThreshold = 50 }, read[1]);
            Assert.Equal((TunnelType.Gue, (ushort)6080, TunnelFlags.Checksum), (read[0].TunnelType, read[0].TunnelPort, read[0].TunnelFlags));
            Assert.Equal(2, kernel.RealServerCount);
        }
    }

    [Fact]
    public void Duplicate_IsEexist_MissingService_IsEsrch_MissingRealServer_IsEnoent()
    {
        (_, IpvsClient ipvs) = WithServices();
        using (ipvs)
        {
            ipvs.AddRealServer(Web, Server("198.19.0.1"));
            Assert.Equal(Netlink.Errno.EEXIST, Errno(() => ipvs.AddRealServer(Web, Server("198.19.0.1") with { Weight = 5 })));
            var missing = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("198.18.0.1"), 80);
            Assert.Equal(Netlink.Errno.ESRCH, Errno(() => ipvs.AddRealServer(missing, Server("198.19.0.1"))));
            Assert.Equal(Netlink.Errno.ESRCH, Errno(() => ipvs.DeleteRealServer(missing, IPAddress.Parse("198.19.0.1"), 8080)));
            Assert.Equal(Netlink.Errno.ENOENT, Errno(() => ipvs.UpdateRealServer(Web, Server("198.19.0.1", 8081))));
            Assert.Equal(Netlink.Errno.ENOENT, Errno(() => ipvs.DeleteRealServer(Web, IPAddress.Parse("198.19.0.9"), 8080)));
            // A GET_DEST dump of a missing service answers empty, not an error.
            Assert.Empty(ipvs.ListRealServers(missing));
        }
    }

    [Fact]
    public void Edit_ChangesSettingsInPlace_AndDropsTunnelFieldsWhenNoLongerTunnelling()
    {
        (_, IpvsClient ipvs) = WithServices();
        using (ipvs)
        {
            ipvs.AddRealServer(Web, Server("198.19.0.1") with { Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gre, TunnelFlags = TunnelFlags.Checksum });
            ipvs.AddRealServer(Web, Server("198.19.0.2"));
            ipvs.UpdateRealServer(Web, Server("198.19.0.1") with { Weight = 0 });
            IReadOnlyList<RealServer> read = [.. ipvs.ListRealServers(Web).Select(o => o.Settings)];
            Assert.Equal("198.19.0.2:8080", read[0].Endpoint); // an edit does not move it
            Assert.Equal((ForwardingMethod.Masquerade, 0, TunnelType.IpIp, TunnelFlags.None), (read[1].Forwarding, read[1].Weight, read[1].TunnelType, read[1].TunnelFlags));
        }
    }

    [Fact]
    public void Thresholds_LowerAboveUpperIsErange_UpperAboveIntMaxIsEinval_GueWithoutPortIsEinval()
    {
        (_, IpvsClient ipvs) = WithServices();
        using (ipvs)
        {
            Assert.Equal(Netlink.Errno.ERANGE, Errno(() => ipvs.AddRealServer(Web, Server("198.19.0.1") with { UpperThreshold = 10, LowerThreshold = 11 })));
            Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.AddRealServer(Web, Server("198.19.0.1") with { UpperThreshold = (uint)int.MaxValue + 1 })));
            Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.AddRealServer(Web, Server("198.19.0.1") with { Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gue })));
            ipvs.AddRealServer(Web, Server("198.19.0.1") with { Weight = int.MaxValue, UpperThreshold = int.MaxValue });
            Assert.Equal(Netlink.Errno.ERANGE, Errno(() => ipvs.UpdateRealServer(Web, Server("198.19.0.1") with { UpperThreshold = 1, LowerThreshold = 2 })));
            Assert.Equal(int.MaxValue, Assert.Single(ipvs.ListRealServers(Web)).Settings.Weight);
        }
    }

    [Fact]
    public void OtherFamily_OnlyWithTunnel_AndDeletedByFamily()
    {
        (_, IpvsClient ipvs) = WithServices();
        using (ipvs)
        {
            Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.AddRealServer(Web, Server("2001:db8::2"))));
            ipvs.AddRealServer(Web, Server("2001:db8::2") with { Forwarding = ForwardingMethod.Tunnel });
            ipvs.AddRealServer(Web6, Server("198.19.0.1") with { Forwarding = ForwardingMethod.Tunnel });
            Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.UpdateRealServer(Web, Server("2001:db8::2"))));
            ipvs.DeleteRealServer(Web, IPAddress.Parse("2001:db8::2"), 8080);
            Assert.Empty(ipvs.ListRealServers(Web));
            Assert.Equal(IPAddress.Parse("198.19.0.1"), Assert.Single(ipvs.ListRealServers(Web6)).Settings.Address);
        }
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("ff02::1")]
    [InlineData("fe80::1")]
    [InlineData("::")]
    public void NotUnicast_IsEinval(string address)
    {
        (_, IpvsClient ipvs) = WithServices();
        using (ipvs)
        {
            VirtualServiceKey service = address.Contains(':', StringComparison.Ordinal) ? Web6 : Web;
            Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.AddRealServer(service, Server(address))));
            Assert.Empty(ipvs.ListRealServers(service));
        }
    }

    [Fact]
    public void ASyncDaemon_BarsOtherFamilies_AndTheyBarIt()
    {
        (_, IpvsClient ipvs) = WithServices();
        using (ipvs)
        {
            ipvs.StartSyncDaemon(new SyncDaemon(SyncDaemonState.Master, "lo"));
            Assert.Equal(Netlink.Errno.EEXIST, Errno(() => ipvs.StartSyncDaemon(new SyncDaemon(SyncDaemonState.Master, "lo"))));
            Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.AddRealServer(Web, Server("2001:db8::2") with { Forwarding = ForwardingMethod.Tunnel })));
            SyncDaemon running = Assert.Single(ipvs.ListSyncDaemons());
            Assert.Equal((SyncDaemonState.Master, "lo", (ushort?)1472, (ushort?)8848, (byte?)1), (running.State, running.InterfaceName, running.MaxLength, running.MulticastPort, running.MulticastTtl));
            ipvs.StopSyncDaemon(SyncDaemonState.Master);
            Assert.Equal(Netlink.Errno.ESRCH, Errno(() => ipvs.StopSyncDaemon(SyncDaemonState.Master)));
            Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.StopSyncDaemon(SyncDaemonState.Master | SyncDaemonState.Backup)));
            Assert.Equal(Netlink.Errno.ENODEV, Errno(() => ipvs.StartSyncDaemon(new SyncDaemon(SyncDaemonState.Backup, "eth9"))));
            ipvs.AddRealServer(Web, Server("2001:db8::2") with { Forwarding = ForwardingMethod.Tunnel });
            Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.StartSyncDaemon(new SyncDaemon(SyncDaemonState.Backup, "lo"))));
        }
    }
}
