using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using Netlink.Testing;

namespace Netlink.Tests.Testing;

/// <summary>The fake IPVS kernel's service rules, through the real IpvsClient.</summary>
public sealed class FakeIpvsServiceRulesTests
{
    private static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);

    private static int Errno(Action action) => Assert.ThrowsAny<NetlinkException>(action).ErrorNumber;

    [Fact]
    public void AddedService_ReadsBackWithItsSettings_AndTheHashedFlag()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web) { Scheduler = "wrr", PersistenceTimeout = 600, Netmask = PersistenceNetmask.FromIpv4Mask(0xFFFFFF00u), Flags = ServiceFlags.OnePacket });
        ObservedVirtualService observed = Assert.Single(ipvs.ListServices());
        VirtualService read = observed.Settings;
        Assert.Equal(Web, read.Key);
        Assert.Equal("wrr", read.Scheduler);
        Assert.Equal(600u, read.PersistenceTimeout);
        Assert.Equal(0xFFFFFF00u, read.Netmask?.Ipv4Mask);
        Assert.Equal(ServiceFlags.OnePacket | ServiceFlags.Persistent | ServiceFlags.Hashed, observed.ReportedFlags);
        Assert.Equal(observed, ipvs.GetService(Web));
    }

    [Fact]
    public void AddingAnExistingService_IsEexist_EvenWithAnUnknownScheduler()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web));
        Assert.Equal(Netlink.Errno.EEXIST, Errno(() => ipvs.AddService(new VirtualService(Web) { Scheduler = "nope" })));
    }

    [Fact]
    public void UnknownScheduler_OrPersistenceEngine_IsEnoent_WhileNoneIsAccepted()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        Assert.Equal(Netlink.Errno.ENOENT, Errno(() => ipvs.AddService(new VirtualService(Web) { Scheduler = "fastest" })));
        Assert.Equal(Netlink.Errno.ENOENT, Errno(() => ipvs.AddService(new VirtualService(Web) { PersistenceEngine = "http" })));
        Assert.Empty(ipvs.ListServices());
        ipvs.AddService(new VirtualService(Web) { Scheduler = "none", PersistenceEngine = "sip" });
        Assert.Equal(Netlink.Errno.ENOENT, Errno(() => ipvs.UpdateService(new VirtualService(Web) { Scheduler = "fastest" })));
        ObservedVirtualService observed = ipvs.GetService(Web)!;
        VirtualService read = observed.Settings;
        Assert.Equal(("none", "sip"), (read.Scheduler, read.PersistenceEngine));
    }

    [Fact]
    public void Twos_IsAScheduler_FromLinux67()
    {
        using IpvsClient older = new FakeIpvsKernel(FakeIpvsKernelOptions.ForKernel(new Version(6, 1, 0))).OpenClient();
        using IpvsClient newer = new FakeIpvsKernel(FakeIpvsKernelOptions.ForKernel(new Version(6, 12, 57))).OpenClient();
        Assert.Equal(Netlink.Errno.ENOENT, Errno(() => older.AddService(new VirtualService(Web) { Scheduler = "twos" })));
        newer.AddService(new VirtualService(Web) { Scheduler = "twos" });
        Assert.Equal("twos", newer.GetService(Web)!.Settings.Scheduler);
    }

    [Fact]
    public void EditingOrDeletingAMissingService_IsEsrch_AndGetServiceAnswersNull()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        Assert.Equal(Netlink.Errno.ESRCH, Errno(() => ipvs.UpdateService(new VirtualService(Web))));
        Assert.Equal(Netlink.Errno.ESRCH, Errno(() => ipvs.DeleteService(Web)));
        Assert.Equal(Netlink.Errno.ESRCH, Errno(() => ipvs.ZeroCounters(Web)));
        Assert.Null(ipvs.GetService(Web));
    }

    [Fact]
    public void ServicesOfOneAddress_DifferByProtocolPortAndFamily_AndMarksByFamily()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web));
        ipvs.AddService(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("198.18.0.1"), 80)));
        ipvs.AddService(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 81)));
        ipvs.AddService(new VirtualService(VirtualServiceKey.ForFirewallMark(7)));
        ipvs.AddService(new VirtualService(VirtualServiceKey.ForFirewallMark(7, AddressFamily.InterNetworkV6)) { Netmask = PersistenceNetmask.FromIpv6PrefixLength(64) });
        Assert.Equal(Netlink.Errno.EEXIST, Errno(() => ipvs.AddService(new VirtualService(VirtualServiceKey.ForFirewallMark(7)))));
        Assert.Equal(5, ipvs.ListServices().Count);
        Assert.Equal(5, kernel.ServiceCount);
    }

    [Fact]
    public void Edit_ReplacesSettings_AndRemovesAnAbsentPersistenceEngine()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web) { Scheduler = "sh", PersistenceEngine = "sip", PersistenceTimeout = 60, Flags = ServiceFlags.SourceHashPort });
        ipvs.UpdateService(new VirtualService(Web) { Scheduler = "rr" });
        ObservedVirtualService observed = ipvs.GetService(Web)!;
        VirtualService read = observed.Settings;
        Assert.Equal("rr", read.Scheduler);
        Assert.Null(read.PersistenceEngine);
        Assert.Equal(0u, read.PersistenceTimeout);
        Assert.Equal(ServiceFlags.Hashed, observed.ReportedFlags);
    }

    [Fact]
    public void PersistenceTimeout_IsKeptInJiffies_SoALongOneWrapsAsOnTheKernel()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web) { PersistenceTimeout = 20_000_000 });
        // 20,000,000 s x HZ 250 = 5e9 jiffies, past 2^32: (5e9 - 2^32) / 250.
        Assert.Equal(2_820_130u, ipvs.GetService(Web)!.Settings.PersistenceTimeout);
    }

    [Fact]
    public void DeletingAService_TakesItsRealServers_AndFlushEmptiesTheTable()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        ipvs.AddService(new VirtualService(Web));
        ipvs.AddRealServer(Web, new RealServer(IPAddress.Parse("198.19.0.1"), 80));
        ipvs.DeleteService(Web);
        Assert.Equal((0, 0), (kernel.ServiceCount, kernel.RealServerCount));
        Assert.Empty(ipvs.ListRealServers(Web));
        ipvs.AddService(new VirtualService(Web));
        ipvs.AddRealServer(Web, new RealServer(IPAddress.Parse("198.19.0.1"), 80));
        ipvs.Flush();
        Assert.Empty(ipvs.GetTable());
        Assert.Equal(0, kernel.RealServerCount);
    }

    [Fact]
    public void Timeouts_ZeroLeavesOneUnchanged_AndBeyondIntMaxOverHzIsEinval()
    {
        var kernel = new FakeIpvsKernel();
        using IpvsClient ipvs = kernel.OpenClient();
        Assert.Equal(new IpvsTimeouts(900, 120, 300), ipvs.GetTimeouts());
        ipvs.SetTimeouts(new IpvsTimeouts(0, 60, 0));
        Assert.Equal(new IpvsTimeouts(900, 60, 300), ipvs.GetTimeouts());
        Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.SetTimeouts(new IpvsTimeouts(int.MaxValue / 250 + 1, 0, 0))));
        Assert.Equal(Netlink.Errno.EINVAL, Errno(() => ipvs.SetTimeouts(new IpvsTimeouts(0, 0, uint.MaxValue))));
        ipvs.SetTimeouts(new IpvsTimeouts(int.MaxValue / 250, 0, 0));
        Assert.Equal(new IpvsTimeouts(int.MaxValue / 250, 60, 300), ipvs.GetTimeouts());
    }

    [Fact]
    public void Info_IsVersion121_WithTheDefaultTableSize()
    {
        using IpvsClient ipvs = new FakeIpvsKernel().OpenClient();
        Assert.Equal(new IpvsInfo(0x010201, 4096), ipvs.GetInfo());
    }
}
