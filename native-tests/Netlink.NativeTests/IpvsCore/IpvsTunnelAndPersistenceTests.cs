using System.Net;
using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.IpvsCore;

/// <summary>Tunnels (GUE, GRE with checksum options), the SIP persistence engine and IPv6 persistence prefixes, both ways.</summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsTunnelAndPersistenceTests : IDisposable
{
    private static readonly string[] Rules =
    [
        "-A -u 198.18.0.1:5060 -s rr -p 60 --pe sip",
        "-a -u 198.18.0.1:5060 -r 198.19.0.2:5060 -i -w 1 --tun-type gue --tun-port 6080 --tun-remcsum",
        "-a -u 198.18.0.1:5060 -r 198.19.0.3:5060 -i -w 1 --tun-type gre --tun-csum",
        "-A -t [2001:db8::1]:80 -s rr -p 30 -M 64",
    ];

    private readonly TestNamespace _ns = TestNamespace.Create();
    private readonly IpvsClient _ipvs;

    public IpvsTunnelAndPersistenceTests()
    {
        _ipvs = IpvsClient.Open(new IpvsClientOptions { Namespace = _ns.Namespace });
    }

    public void Dispose()
    {
        _ipvs.Dispose();
        _ns.Dispose();
    }

    [Fact]
    public void LibraryWrites_IpvsadmShowsTunnelsAndPersistence()
    {
        var sip = VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("198.18.0.1"), 5060);
        _ipvs.AddService(new VirtualService(sip) { Scheduler = "rr", PersistenceTimeout = 60, PersistenceEngine = "sip" });
        _ipvs.AddRealServer(sip, new RealServer(IPAddress.Parse("198.19.0.2"), 5060)
        {
            Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.RemoteChecksum,
        });
        _ipvs.AddRealServer(sip, new RealServer(IPAddress.Parse("198.19.0.3"), 5060)
        {
            Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gre, TunnelFlags = TunnelFlags.Checksum,
        });
        _ipvs.AddService(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("2001:db8::1"), 80))
        {
            Scheduler = "rr", PersistenceTimeout = 30, Netmask = PersistenceNetmask.FromIpv6PrefixLength(64),
        });

        Assert.Equal(string.Join('\n', Rules) + "\n", _ns.Ipvsadm("-Sn"));
        string tunnels = _ns.Ipvsadm("-Ln", "--tun-info");
        Assert.Contains("gue:6080:r+c", tunnels, StringComparison.Ordinal);
        Assert.Contains("gre:+c", tunnels, StringComparison.Ordinal);
    }

    [Fact]
    public void IpvsadmWrites_LibraryReadsTunnelsAndPersistence()
    {
        TestNamespaceExtensions.Restore(_ns, Rules);
        IReadOnlyList<IpvsServiceEntry> table = _ipvs.GetTable();

        IpvsServiceEntry sip = table.Single(e => e.Service.Key.Protocol == IpvsProtocol.Udp);
        Assert.Equal("sip", sip.Service.Settings.PersistenceEngine);
        Assert.Equal(60u, sip.Service.Settings.PersistenceTimeout);
        RealServer gue = sip.RealServers.Select(r => r.Settings).Single(r => r.Address.Equals(IPAddress.Parse("198.19.0.2")));
        Assert.Equal(ForwardingMethod.Tunnel, gue.Forwarding);
        Assert.Equal(TunnelType.Gue, gue.TunnelType);
        Assert.Equal((ushort)6080, gue.TunnelPort);
        Assert.Equal(TunnelFlags.RemoteChecksum, gue.TunnelFlags);
        RealServer gre = sip.RealServers.Select(r => r.Settings).Single(r => r.Address.Equals(IPAddress.Parse("198.19.0.3")));
        Assert.Equal(TunnelType.Gre, gre.TunnelType);
        Assert.Equal(TunnelFlags.Checksum, gre.TunnelFlags);

        IpvsServiceEntry web6 = table.Single(e => e.Service.Key.Protocol == IpvsProtocol.Tcp);
        Assert.Equal(PersistenceNetmask.FromIpv6PrefixLength(64), web6.Service.Settings.Netmask);
        Assert.Equal(30u, web6.Service.Settings.PersistenceTimeout);
    }
}

/// <summary>Loads ipvsadm rules into a namespace the way operators do: `ipvsadm -R` on stdin.</summary>
internal static class TestNamespaceExtensions
{
    public static void Restore(TestNamespace ns, IEnumerable<string> rules)
    {
        CliWrap.Buffered.BufferedCommandResult result = ns.TryExec(string.Join('\n', rules) + "\n", "ipvsadm", "-R");
        Assert.True(result.ExitCode == 0, "ipvsadm -R failed: " + result.StandardError);
    }
}
