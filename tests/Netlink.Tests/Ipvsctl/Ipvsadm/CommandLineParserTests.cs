using System.Net;
using Ipvsctl.Ipvsadm;
using Netlink.Ipvs;

namespace Netlink.Tests.Ipvsctl.Ipvsadm;

public sealed class CommandLineParserTests
{
    private static readonly string Hosts = WriteTemp("127.0.0.1 localhost\n198.18.0.77 web.test web\n");
    private static readonly string Services = WriteTemp("http 80/tcp www\ndomain 53/tcp\ndomain 53/udp\n");

    private static CommandLineParser Parser() => new("ipvsadm", new NameLookup(Hosts, Services), posixMeHarder: false);

    private static CommandEntry Parse(string line) => Parser().Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static IpvsadmExit Fails(string line) => Assert.Throws<IpvsadmExit>(() => Parse(line));

    [Fact]
    public void Add_service_takes_ipvsadm_defaults()
    {
        CommandEntry ce = Parse("-A -t 198.18.0.1:80");
        VirtualService service = ce.Service.ToVirtualService();
        Assert.Equal(IpvsadmCommandKind.AddService, ce.Command);
        Assert.Equal(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80), service.Key);
        Assert.Equal("wlc", service.Scheduler);
        Assert.Equal(0u, service.PersistenceTimeout);
        Assert.Null(service.Netmask);
        Assert.Equal(0xFFFFFFFFu, service.EffectiveNetmask.Ipv4Mask);
    }

    [Fact]
    public void Persistence_without_a_value_is_360_seconds_and_netmask_parses_as_inet_aton()
    {
        VirtualService service = Parse("-A -u 198.18.0.1:0 -p -M 255.255.255.0 -s sh -b sh-port -o").Service.ToVirtualService();
        Assert.Equal(360u, service.PersistenceTimeout);
        Assert.Equal(PersistenceNetmask.FromIpv4Mask(0xFFFFFF00u), service.Netmask);
        Assert.Equal(ServiceFlags.SourceHashPort | ServiceFlags.OnePacket, service.Flags);
    }

    [Fact]
    public void Netmask_0_0_0_0_is_sent_as_0_not_as_the_default()
    {
        // ipvsadm sends the mask it parsed; the kernel then keeps every client of the service in one group.
        VirtualService service = Parse("-A -t 198.18.0.1:80 -p -M 0.0.0.0").Service.ToVirtualService();
        Assert.Equal(PersistenceNetmask.FromIpv4Mask(0u), service.Netmask);
        Assert.Equal(0u, service.EffectiveNetmask.Ipv4Mask);
    }

    [Fact]
    public void Real_server_defaults_to_direct_routing_weight_1_and_the_service_port()
    {
        CommandEntry ce = Parse("-a -t 198.18.0.1:80 -r 198.19.0.1:8080");
        RealServer server = ce.Destination.ToRealServer();
        Assert.Equal(ForwardingMethod.DirectRouting, server.Forwarding);
        Assert.Equal(1, server.Weight);
        Assert.Equal(80, server.Port); // direct routing cannot change the port
        Assert.Equal(8080, Parse("-a -t 198.18.0.1:80 -r 198.19.0.1:8080 -m").Destination.ToRealServer().Port);
        Assert.Equal(80, Parse("-a -t 198.18.0.1:80 -r 198.19.0.1 -m").Destination.ToRealServer().Port);
    }

    [Fact]
    public void Names_resolve_through_hosts_and_services_files_with_the_service_protocol()
    {
        CommandEntry ce = Parse("-A -t web.test:http");
        Assert.Equal(IPAddress.Parse("198.18.0.77"), ce.Service.Endpoint.ToIPAddress());
        Assert.Equal(80, ce.Service.Endpoint.Port);
        Assert.Equal(53, Parse("-A -u 198.18.0.1:domain").Service.Endpoint.Port);
        Assert.Equal("illegal virtual server address[:port] specified", Fails("-A -t 198.18.0.1:nosuch").Message);
    }

    [Fact]
    public void IPv6_forms_and_firewall_marks()
    {
        CommandEntry v6 = Parse("-A -t [2001:db8::1]:443 -p -M 64");
        Assert.Equal(IPAddress.Parse("2001:db8::1"), v6.Service.Endpoint.ToIPAddress());
        Assert.Equal(443, v6.Service.Endpoint.Port);
        Assert.Equal(64u, v6.Service.Netmask);
        VirtualServiceKey mark = Parse("-A -f 7 -6").Service.ToKey();
        Assert.Equal(7u, mark.FirewallMark);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, mark.Family);
    }

    [Fact]
    public void Set_takes_three_leftover_timeouts()
    {
        Assert.Equal(new IpvsTimeouts(100, 20, 30), Parse("--set 100 20 30").Timeouts);
        Assert.Equal("--set option requires 3 timeout values", Fails("--set 1 2").Message);
        Assert.Equal("unexpected argument 4", Fails("--set 1 2 3 4").Message);
    }

    [Theory]
    [InlineData("-A -t 198.18.0.1", "Zero port specified for non-persistent service")]
    [InlineData("-A -t 198.18.0.1:80 -o", "One-Packet Scheduling is only for UDP virtual services")]
    [InlineData("-A -t 198.18.0.1:80 -b sh-port", "incompatible scheduler flag `sh-port'")]
    [InlineData("-A -t 198.18.0.1:80 -b nope", "invalid scheduler flag `nope'")]
    [InlineData("-A -t 198.18.0.1:80 -p x", "invalid timeout value `x' specified")]
    [InlineData("-A -t 198.18.0.1:80 -s rr -s wrr", "multiple 'scheduler' options specified")]
    [InlineData("-A -t 198.18.0.1:80 -r 198.19.0.1", "Illegal 'real-server' option with the 'add-service' command")]
    [InlineData("-a -t 198.18.0.1:80", "You need to supply the 'real-server' option for the 'add-server' command")]
    [InlineData("-a -t 198.18.0.1:80 -r 198.19.0.1 -w 2147483648", "illegal weight specified")]
    [InlineData("-a -t 198.18.0.1:80 -r 2001:db8::1", "Different address family is allowed only for tunneling servers")]
    [InlineData("-a -t 198.18.0.1:80 -r 198.19.0.1 -m --tun-type gue", "Tunnel options conflict with forward method")]
    [InlineData("-a -t 198.18.0.1:80 -r 198.19.0.1 -i --tun-type gue", "You need to supply the 'tun-port' option for the 'gue' tunnel type")]
    [InlineData("-a -t 198.18.0.1:80 -r 198.19.0.1 -i --tun-type gre --tun-csum --tun-nocsum", "The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gre' tunnel type")]
    [InlineData("-L -c --stats", "options conflicts in the list command")]
    [InlineData("-L --timeout --daemon", "The option 'daemon' conflicts with the 'timeout' option in the 'list' command")]
    [InlineData("-L -A", "invalid option `-A'")]
    [InlineData("-A -6 -f 1", "-6 used before -f\n")]
    [InlineData("-A -f 0", "invalid fwmark value `0' specified")]
    [InlineData("--start-daemon slave", "illegal start-daemon parameter specified")]
    [InlineData("--start-daemon master --mcast-group 10.0.0.1", "invalid IPv4 mcast-group `10.0.0.1'")]
    public void Bad_lines_fail_with_ipvsadm_messages_and_status_2(string line, string message)
    {
        IpvsadmExit exit = Fails(line);
        Assert.Equal(2, exit.Status);
        Assert.Equal(message, exit.Message);
    }

    [Theory]
    [InlineData("-n -L")]
    [InlineData("foo")]
    [InlineData("-Q")]
    [InlineData("")]
    public void A_line_not_starting_with_a_command_asks_to_try_help_with_status_255(string line)
    {
        IpvsadmExit exit = Fails(line);
        Assert.Equal(255, exit.Status);
        Assert.Equal("Try `ipvsadm -h' or 'ipvsadm --help' for more information.", exit.Message);
    }

    [Fact]
    public void Help_and_version_go_to_standard_output()
    {
        IpvsadmExit help = Fails("-h");
        Assert.True(help.ToStandardOutput);
        Assert.Equal(0, help.Status);
        Assert.StartsWith("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\nUsage:\n  ipvsadm -A|E virtual-service", help.Message, StringComparison.Ordinal);
        Assert.Equal("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n", Fails("-v").Message);
    }

    [Fact]
    public void A_scan_error_after_the_command_is_a_line_error_not_an_exit()
    {
        var error = Assert.Throws<IpvsadmLineError>(() => Parse("-L --bogus"));
        Assert.Equal("--bogus: unknown option", error.Message);
    }

    private static string WriteTemp(string content)
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, content);
        return path;
    }
}
