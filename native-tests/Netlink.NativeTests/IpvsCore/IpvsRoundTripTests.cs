using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.IpvsCore;

/// <summary>
/// The library and ipvsadm against the same kernel table: what one writes, the other reads the same.
/// Each test has its own namespace, so their tables never meet (their dumps are small enough to come whole; a
/// table that needs several datagrams is read in <see cref="IpvsLargeTableTests"/>, alone).
/// </summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsRoundTripTests : IDisposable
{
    private static readonly IPAddress Vip = IPAddress.Parse("198.18.0.1");
    private readonly TestNamespace _ns = TestNamespace.Create();
    private readonly IpvsClient _ipvs;

    public IpvsRoundTripTests()
    {
        _ipvs = IpvsClient.Open(new IpvsClientOptions { Namespace = _ns.Namespace });
    }

    public void Dispose()
    {
        _ipvs.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void LibraryWrites_IpvsadmSavesTheSameRules()
    {
        var web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 80);
        var dns = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("2001:db8::53"), 53);
        var mark = VirtualServiceKey.ForFirewallMark(7);
        DesiredEntry[] written =
        [
            new(new VirtualService(web) { Scheduler = "wrr", PersistenceTimeout = 600, Netmask = PersistenceNetmask.FromIpv4PrefixLength(24) },
                [
                    new RealServer(IPAddress.Parse("198.19.0.1"), 8080) { Forwarding = ForwardingMethod.Masquerade, Weight = 3, UpperThreshold = 100, LowerThreshold = 10 },
                    new RealServer(IPAddress.Parse("198.19.0.2"), 8080) { Forwarding = ForwardingMethod.DirectRouting, Weight = 1 },
                ]),
            new(new VirtualService(dns) { Scheduler = "sh", Flags = ServiceFlags.SourceHashPort | ServiceFlags.OnePacket },
                [new RealServer(IPAddress.Parse("2001:db8::1:1"), 53) { Forwarding = ForwardingMethod.Masquerade }]),
            new(new VirtualService(mark) { Scheduler = "rr" },
                [new RealServer(IPAddress.Parse("198.19.0.9"), 0) { Forwarding = ForwardingMethod.Tunnel, Weight = 2 }]),
        ];
        foreach ((VirtualService service, RealServer[] servers) in written)
        {
            _ipvs.AddService(service);
            foreach (RealServer server in servers)
            {
                _ipvs.AddRealServer(service.Key, server);
            }
        }

        string[] saved = _ns.Ipvsadm("-Sn").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            new[]
            {
                "-A -t 198.18.0.1:80 -s wrr -p 600 -M 255.255.255.0",
                "-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m -w 3",
                "-a -t 198.18.0.1:80 -r 198.19.0.2:8080 -g -w 1",
                "-A -u [2001:db8::53]:53 -s sh -o -b sh-port",
                "-a -u [2001:db8::53]:53 -r [2001:db8::1:1]:53 -m -w 1",
                "-A -f 7 -s rr",
                "-a -f 7 -r 198.19.0.9:0 -i -w 2 --tun-type ipip",
            }.Order(StringComparer.Ordinal),
            saved.Order(StringComparer.Ordinal));
        // -S leaves thresholds out; the listing shows them.
        Assert.Matches(@"198\.19\.0\.1:8080\s+100\s+10\s", _ns.Ipvsadm("-Ln", "--thresholds"));
        // Settings equality: what the kernel reads back is what was written, whatever it adds (HASHED, counters).
        foreach ((VirtualService service, RealServer[] servers) in written)
        {
            Assert.Equal(service, _ipvs.GetService(service.Key)!.Settings);
            Assert.Equal(servers.OrderBy(s => s.Endpoint, StringComparer.Ordinal),
                _ipvs.ListRealServers(service.Key).Select(s => s.Settings).OrderBy(s => s.Endpoint, StringComparer.Ordinal));
        }
    }

    private readonly record struct DesiredEntry(VirtualService Service, RealServer[] Servers);

    [Fact]
    public void IpvsadmWrites_LibraryReadsEveryField()
    {
        _ns.Exec("ipvsadm", "-A", "-t", "198.18.0.1:443", "-s", "lc", "-p", "120", "-M", "255.255.0.0");
        _ns.Exec("ipvsadm", "-a", "-t", "198.18.0.1:443", "-r", "198.19.1.1:8443", "-m", "-w", "7", "-x", "50", "-y", "5");
        _ns.Exec("ipvsadm", "-A", "--sctp-service", "[2001:db8::10]:3868", "-s", "mh", "-b", "mh-fallback,mh-port");
        _ns.Exec("ipvsadm", "-A", "-f", "42", "-6", "-s", "dh");

        IReadOnlyList<IpvsServiceEntry> table = _ipvs.GetTable();
        Assert.Equal(3, table.Count);

        IpvsServiceEntry https = table.Single(e => e.Service.Key.Port == 443);
        Assert.Equal(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 443), https.Service.Key);
        Assert.Equal("lc", https.Service.Settings.Scheduler);
        Assert.Equal(120u, https.Service.Settings.PersistenceTimeout);
        Assert.True(https.Service.ReportedFlags.HasFlag(ServiceFlags.Persistent));
        Assert.True(https.Service.Settings.IsPersistent);
        Assert.Equal(PersistenceNetmask.FromIpv4Mask(0xFFFF0000u), https.Service.Settings.Netmask);
        ObservedRealServer observed = Assert.Single(https.RealServers);
        RealServer server = observed.Settings;
        Assert.Equal(IPAddress.Parse("198.19.1.1"), server.Address);
        Assert.Equal(8443, server.Port);
        Assert.Equal(ForwardingMethod.Masquerade, server.Forwarding);
        Assert.Equal(7, server.Weight);
        Assert.Equal(50u, server.UpperThreshold);
        Assert.Equal(5u, server.LowerThreshold);
        Assert.NotNull(observed.Statistics);

        IpvsServiceEntry diameter = table.Single(e => e.Service.Key.Protocol == IpvsProtocol.Sctp);
        Assert.Equal(IPAddress.Parse("2001:db8::10"), diameter.Service.Key.Address);
        Assert.Equal(AddressFamily.InterNetworkV6, diameter.Service.Key.Family);
        Assert.Equal("mh", diameter.Service.Settings.Scheduler);
        Assert.Equal(ServiceFlags.MaglevHashFallback | ServiceFlags.MaglevHashPort, diameter.Service.ReportedFlags & ~ServiceFlags.Hashed);
        Assert.Equal(ServiceFlags.MaglevHashFallback | ServiceFlags.MaglevHashPort, diameter.Service.Settings.Flags);
        Assert.Equal(128, diameter.Service.Settings.EffectiveNetmask.Ipv6PrefixLength);
        Assert.Null(diameter.Service.Settings.Netmask);

        IpvsServiceEntry marked = table.Single(e => e.Service.Key.IsFirewallMark);
        Assert.Equal(VirtualServiceKey.ForFirewallMark(42, AddressFamily.InterNetworkV6), marked.Service.Key);
        Assert.Equal("dh", marked.Service.Settings.Scheduler);
        Assert.Empty(marked.RealServers);
    }

    [Fact]
    public void EditInPlace_KeepsTheRealServerAndChangesWhatWasAsked()
    {
        var web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 80);
        _ipvs.AddService(new VirtualService(web) { Scheduler = "wlc" });
        var server = new RealServer(IPAddress.Parse("198.19.0.1"), 80) { Forwarding = ForwardingMethod.Masquerade, Weight = 5 };
        _ipvs.AddRealServer(web, server);

        _ipvs.UpdateService(new VirtualService(web) { Scheduler = "rr" });
        _ipvs.UpdateRealServer(web, server with { Weight = 0, UpperThreshold = 9 });

        Assert.Equal("rr", _ipvs.GetService(web)!.Settings.Scheduler);
        RealServer read = Assert.Single(_ipvs.ListRealServers(web)).Settings;
        Assert.Equal(0, read.Weight);
        Assert.Equal(9u, read.UpperThreshold);
        Assert.Contains("-a -t 198.18.0.1:80 -r 198.19.0.1:80 -m -w 0\n", _ns.Ipvsadm("-Sn"), StringComparison.Ordinal);
    }

    [Fact]
    public void KernelErrors_SurfaceWithTheirErrnoAndWhatFailed()
    {
        var web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 80);
        _ipvs.AddService(new VirtualService(web) { Scheduler = "rr" });
        var server = new RealServer(IPAddress.Parse("198.19.0.1"), 80) { Forwarding = ForwardingMethod.Masquerade };
        _ipvs.AddRealServer(web, server);

        NetlinkException exists = Assert.Throws<NetlinkException>(() => _ipvs.AddService(new VirtualService(web)));
        Assert.Equal(Errno.EEXIST, exists.ErrorNumber);
        Assert.StartsWith("add virtual service TCP 198.18.0.1:80: File exists (EEXIST)", exists.Message, StringComparison.Ordinal);

        NetlinkException again = Assert.Throws<NetlinkException>(() => _ipvs.AddRealServer(web, server));
        Assert.Equal(Errno.EEXIST, again.ErrorNumber);
        Assert.StartsWith("add real server 198.19.0.1:80 to TCP 198.18.0.1:80: File exists (EEXIST)", again.Message, StringComparison.Ordinal);

        var missing = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 81);
        NetlinkException noService = Assert.Throws<NetlinkException>(() => _ipvs.DeleteService(missing));
        Assert.Equal(Errno.ESRCH, noService.ErrorNumber);
        Assert.Null(_ipvs.GetService(missing));
        Assert.Empty(_ipvs.ListRealServers(missing));

        NetlinkException noServer = Assert.Throws<NetlinkException>(() => _ipvs.DeleteRealServer(web, IPAddress.Parse("198.19.0.2"), 80));
        Assert.Equal(Errno.ENOENT, noServer.ErrorNumber);

        NetlinkException badScheduler = Assert.Throws<NetlinkException>(() =>
            _ipvs.AddService(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 82)) { Scheduler = "nosuch" }));
        Assert.Equal(Errno.ENOENT, badScheduler.ErrorNumber);

        // Nothing above changed the table.
        Assert.Equal("-A -t 198.18.0.1:80 -s rr\n-a -t 198.18.0.1:80 -r 198.19.0.1:80 -m -w 1\n", _ns.Ipvsadm("-Sn"));
    }

    [Theory]
    [InlineData("rr")]
    [InlineData("wrr")]
    [InlineData("lc")]
    [InlineData("wlc")]
    [InlineData("lblc")]
    [InlineData("lblcr")]
    [InlineData("dh")]
    [InlineData("sh")]
    [InlineData("sed")]
    [InlineData("nq")]
    [InlineData("fo")]
    [InlineData("ovf")]
    [InlineData("mh")]
    [InlineData("twos")]
    public void EveryScheduler_TheKernelHas_IsAcceptedAndReadBack(string scheduler)
    {
        var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 80);
        // twos arrived in Linux 6.7: older kernels refuse it as an unknown scheduler, and must say so.
        bool known = scheduler != "twos" || Environment.OSVersion.Version >= new Version(6, 7);
        if (!known)
        {
            Assert.Equal(Errno.ENOENT, Assert.Throws<NetlinkException>(() => _ipvs.AddService(new VirtualService(key) { Scheduler = scheduler })).ErrorNumber);
            return;
        }
        _ipvs.AddService(new VirtualService(key) { Scheduler = scheduler });
        Assert.Equal(scheduler, _ipvs.GetService(key)!.Settings.Scheduler);
        Assert.Contains($"-s {scheduler}", _ns.Ipvsadm("-Sn"), StringComparison.Ordinal);
    }

    [Fact]
    public void Namespaces_KeepTheirOwnTables()
    {
        using TestNamespace other = TestNamespace.Create();
        using IpvsClient otherIpvs = IpvsClient.Open(new IpvsClientOptions { Namespace = other.Namespace });
        _ipvs.AddService(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 80)));
        Assert.Empty(otherIpvs.ListServices());
        Assert.Single(_ipvs.ListServices());
        Assert.Equal(string.Empty, other.Ipvsadm("-Sn"));
    }

    [Fact]
    public void TimeoutsInfoZeroAndFlush()
    {
        _ipvs.SetTimeouts(new IpvsTimeouts(900, 60, 120));
        Assert.Equal(new IpvsTimeouts(900, 60, 120), _ipvs.GetTimeouts());
        Assert.Equal("Timeout (tcp tcpfin udp): 900 60 120\n", _ns.Ipvsadm("-Ln", "--timeout"));
        _ipvs.SetTimeouts(new IpvsTimeouts(0, 30, 0));
        Assert.Equal(new IpvsTimeouts(900, 30, 120), _ipvs.GetTimeouts());

        IpvsInfo info = _ipvs.GetInfo();
        Assert.Equal("1.2.1", info.VersionText);
        Assert.Contains($"IP Virtual Server version 1.2.1 (size={info.ConnectionTableSize})", _ns.Ipvsadm("-Ln"), StringComparison.Ordinal);

        var key = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, Vip, 80);
        _ipvs.AddService(new VirtualService(key));
        _ipvs.ZeroCounters(key);
        _ipvs.ZeroCounters();
        _ipvs.Flush();
        Assert.Empty(_ipvs.ListServices());
    }

    [Fact]
    public void SyncDaemons_StartShowStop()
    {
        _ipvs.StartSyncDaemon(new SyncDaemon(SyncDaemonState.Master, "lo") { SyncId = 9, MulticastGroup = IPAddress.Parse("224.0.0.99"), MulticastPort = 8850, MulticastTtl = 2, MaxLength = 1400 });
        _ipvs.StartSyncDaemon(new SyncDaemon(SyncDaemonState.Backup, "lo") { SyncId = 9 });
        IReadOnlyList<SyncDaemon> daemons = _ipvs.ListSyncDaemons();
        SyncDaemon master = daemons.Single(d => d.State == SyncDaemonState.Master);
        Assert.Equal("lo", master.InterfaceName);
        Assert.Equal(9, master.SyncId);
        Assert.Equal(IPAddress.Parse("224.0.0.99"), master.MulticastGroup);
        Assert.Equal((ushort)8850, master.MulticastPort);
        Assert.Equal((byte)2, master.MulticastTtl);
        Assert.Contains(daemons, d => d.State == SyncDaemonState.Backup);
        string shown = _ns.Ipvsadm("-Ln", "--daemon");
        // Every field as ipvsadm reads it: the port travels in host order, the kernel's default port is 8848.
        Assert.Contains("master sync daemon (mcast=lo, syncid=9, maxlen=1400, group=224.0.0.99, port=8850, ttl=2)", shown, StringComparison.Ordinal);
        Assert.Contains("backup sync daemon (mcast=lo, syncid=9", shown, StringComparison.Ordinal);
        Assert.Contains("group=224.0.0.81, port=8848, ttl=1)", shown, StringComparison.Ordinal);
        Assert.Equal((ushort)8848, _ipvs.ListSyncDaemons().Single(d => d.State == SyncDaemonState.Backup).MulticastPort);

        _ipvs.StopSyncDaemon(SyncDaemonState.Master);
        _ipvs.StopSyncDaemon(SyncDaemonState.Backup);
        Assert.Empty(_ipvs.ListSyncDaemons());
    }
}
