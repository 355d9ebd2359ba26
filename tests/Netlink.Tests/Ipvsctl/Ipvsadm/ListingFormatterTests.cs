using System.Net;
using System.Text;
using Ipvsctl.Ipvsadm;
using Netlink.Ipvs;

namespace Netlink.Tests.Ipvsctl.Ipvsadm;

/// <summary>Golden text of every listing format, as ipvsadm 1.31 prints the same table.</summary>
public sealed class ListingFormatterTests
{
    private static readonly ObservedVirtualService Web = AsRead(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80))
    {
        Scheduler = "rr",
    }) with
    {
        Statistics = new IpvsStatistics(12, 345, 67, 123_456_789, 99_999_999_999, 1, 2, 3, 4, 5),
    };

    private static readonly ObservedRealServer[] WebServers =
    [
        new(new(IPAddress.Parse("198.19.0.1"), 8080) { Forwarding = ForwardingMethod.Masquerade, Weight = 3, UpperThreshold = 100, LowerThreshold = 10 })
        {
            ActiveConnections = 4, InactiveConnections = 5, PersistentConnections = 6,
        },
        AsRead(new RealServer(IPAddress.Parse("198.19.0.2"), 80) { Weight = 1 }),
    ];

    /// <summary>The service as the kernel reports it: IP_VS_SVC_F_HASHED added, IP_VS_SVC_F_PERSISTENT from the timeout.</summary>
    private static ObservedVirtualService AsRead(VirtualService service) => new(service)
    {
        ReportedFlags = service.Flags | ServiceFlags.Hashed | (service.IsPersistent ? ServiceFlags.Persistent : ServiceFlags.None),
    };

    private static ObservedRealServer AsRead(RealServer server) => new(server);

    private static string Format(VirtualService service, IReadOnlyList<ObservedRealServer> servers, ListFormat format) =>
        Format(AsRead(service), servers, format);

    private static string Format(ObservedVirtualService service, IReadOnlyList<ObservedRealServer> servers, ListFormat format)
    {
        var formatter = new ListingFormatter(new AddressText(new NameLookup("/nonexistent", "/nonexistent")));
        var text = new StringBuilder(ListingFormatter.Title(format));
        formatter.WriteService(text, service, servers, format);
        return text.ToString();
    }

    [Fact]
    public void Plain_numeric_listing()
    {
        Assert.Equal(
            "Prot LocalAddress:Port Scheduler Flags\n" +
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
            "TCP  198.18.0.1:80 rr\n" +
            "  -> 198.19.0.1:8080              Masq    3      4          5         \n" +
            "  -> 198.19.0.2:80                Route   1      0          0         \n",
            Format(Web, WebServers, ListFormat.Numeric));
    }

    [Fact]
    public void Stats_listing_abbreviates_large_numbers_unless_exact()
    {
        Assert.Equal(
            "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n" +
            "  -> RemoteAddress:Port\n" +
            "TCP  198.18.0.1:80                      12      345       67  123456K   99999M\n" +
            "  -> 198.19.0.1:8080                     0        0        0        0        0\n" +
            "  -> 198.19.0.2:80                       0        0        0        0        0\n",
            Format(Web, WebServers, ListFormat.Numeric | ListFormat.Stats));
        Assert.Contains("TCP  198.18.0.1:80                      12      345       67 123456789 99999999999\n",
            Format(Web, WebServers, ListFormat.Numeric | ListFormat.Stats | ListFormat.Exact), StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_thresholds_persistent_and_tunnel_listings()
    {
        Assert.Equal(
            "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n" +
            "  -> RemoteAddress:Port\n" +
            "TCP  198.18.0.1:80                       1        2        3        4        5\n" +
            "  -> 198.19.0.1:8080                     0        0        0        0        0\n" +
            "  -> 198.19.0.2:80                       0        0        0        0        0\n",
            Format(Web, WebServers, ListFormat.Numeric | ListFormat.Rate));
        Assert.Equal(
            "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n" +
            "  -> RemoteAddress:Port\n" +
            "TCP  198.18.0.1:80 rr\n" +
            "  -> 198.19.0.1:8080              100        10         4          5         \n" +
            "  -> 198.19.0.2:80                0          0          0          0         \n",
            Format(Web, WebServers, ListFormat.Numeric | ListFormat.Thresholds));
        Assert.Equal(
            "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n" +
            "  -> RemoteAddress:Port\n" +
            "TCP  198.18.0.1:80 rr\n" +
            "  -> 198.19.0.1:8080              3         6           4          5         \n" +
            "  -> 198.19.0.2:80                1         0           0          0         \n",
            Format(Web, WebServers, ListFormat.Numeric | ListFormat.PersistentConn));
        RealServer gue = new(IPAddress.Parse("198.19.0.9"), 80) { Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.Checksum };
        Assert.Equal(
            "Prot LocalAddress:Port Scheduler Flags\n" +
            "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n" +
            "TCP  198.18.0.1:80 rr\n" +
            "  -> 198.19.0.9:80                Tunnel  gue:6080:+c   1      0          0         \n" +
            "  -> 198.19.0.2:80                Route   n/a           1      0          0         \n",
            Format(Web, [AsRead(gue), WebServers[1]], ListFormat.Numeric | ListFormat.TunnelInfo));
    }

    [Fact]
    public void Rules_format_is_what_restore_reads()
    {
        var persistent = new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("198.18.0.2"), 53))
        {
            Scheduler = "sh",
            Flags = ServiceFlags.Persistent | ServiceFlags.SourceHashPort | ServiceFlags.OnePacket,
            PersistenceTimeout = 600,
            Netmask = PersistenceNetmask.FromIpv4Mask(0xFFFFFF00),
            PersistenceEngine = "sip",
        };
        RealServer gre = new(IPAddress.Parse("198.19.0.9"), 53) { Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gre, Weight = 2 };
        Assert.Equal(
            "-A -u 198.18.0.2:53 -s sh -p 600 -M 255.255.255.0 --pe sip -o -b sh-port\n" +
            "-a -u 198.18.0.2:53 -r 198.19.0.9:53 -i -w 2 --tun-type gre --tun-nocsum\n" +
            "-a -u 198.18.0.2:53 -r 198.19.0.1:8080 -m -w 3\n",
            Format(persistent, [AsRead(gre), WebServers[0]], ListFormat.Numeric | ListFormat.Rule));
        Assert.Equal(
            "Prot LocalAddress:Port Scheduler Flags\n" +
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
            "UDP  198.18.0.2:53 sh (sh-port) persistent 600 mask 255.255.255.0 pe sip ops\n",
            Format(persistent, [], ListFormat.Numeric));
    }

    [Fact]
    public void Firewall_marks_and_IPv6()
    {
        var mark = new VirtualService(VirtualServiceKey.ForFirewallMark(7, System.Net.Sockets.AddressFamily.InterNetworkV6))
        {
            Scheduler = "lc",
            Flags = ServiceFlags.Persistent,
            PersistenceTimeout = 30,
            Netmask = PersistenceNetmask.FromIpv6PrefixLength(64),
        };
        RealServer v6 = new(IPAddress.Parse("2001:db8::10"), 0) { Weight = 5 };
        Assert.Equal(
            "FWM  7 IPv6 lc persistent 30 mask 64\n" +
            "  -> [2001:db8::10]:0             Route   5      0          0         \n",
            Format(mark, [AsRead(v6)], ListFormat.Numeric)[ListingFormatter.Title(ListFormat.Numeric).Length..]);
        Assert.Equal("-A -f 7 -6 -s lc -p 30 -M 64\n-a -f 7 -6 -r [2001:db8::10]:0 -g -w 5\n", Format(mark, [AsRead(v6)], ListFormat.Numeric | ListFormat.Rule));
    }

    [Fact]
    public void Persistence_is_printed_from_the_flag_the_kernel_reported_as_ipvsadm_does()
    {
        // Another tool can set IP_VS_SVC_F_PERSISTENT with a timeout of 0; ipvsadm prints what the kernel holds.
        var odd = new ObservedVirtualService(new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80)) { Scheduler = "rr" })
        {
            ReportedFlags = ServiceFlags.Persistent | ServiceFlags.Hashed,
        };
        Assert.False(odd.Settings.IsPersistent);
        Assert.Equal("TCP  198.18.0.1:80 rr persistent 0\n", Format(odd, [], ListFormat.Numeric)[ListingFormatter.Title(ListFormat.Numeric).Length..]);
        Assert.Equal("-A -t 198.18.0.1:80 -s rr -p 0\n", Format(odd, [], ListFormat.Numeric | ListFormat.Rule));
    }

    [Fact]
    public void Names_are_used_without_numeric()
    {
        var formatter = new ListingFormatter(new AddressText(new NameLookup(WriteTemp("198.18.0.1 web.test\n"), WriteTemp("http 80/tcp\n"))));
        var text = new StringBuilder();
        formatter.WriteService(text, Web, [], ListFormat.Rule);
        Assert.Equal("-A -t web.test:http -s rr\n", text.ToString());
    }

    [Theory]
    [InlineData(99_999_999UL, false, " 99999999")]
    [InlineData(100_000_000UL, false, "  100000K")]
    [InlineData(1_000_000_000UL, false, "    1000M")]
    [InlineData(100_000_000_000UL, false, "     100G")]
    [InlineData(100_000_000_000_000UL, false, "     100T")]
    [InlineData(123_456_789_012UL, true, " 123456789012")]
    [InlineData(5UL, true, "        5")]
    public void Large_numbers_print_as_ipvsadm_prints_them(ulong number, bool exact, string expected)
    {
        var text = new StringBuilder();
        ListingFormatter.AppendLargeNumber(text, number, exact ? ListFormat.Exact : ListFormat.None);
        Assert.Equal(expected, text.ToString());
    }

    private static string WriteTemp(string content)
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, content);
        return path;
    }
}
