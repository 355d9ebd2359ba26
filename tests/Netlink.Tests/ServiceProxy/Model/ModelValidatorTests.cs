using System.Net;
using System.Net.Sockets;
using Netlink.Ipvs;
using ServiceProxy.Planning;

namespace Netlink.Tests.ServiceProxy.Model;

/// <summary>The model's meaning (defaults, extensions) and every validation error, each one line naming item and fix.</summary>
public sealed class ModelValidatorTests
{
    [Fact]
    public void AschmidtModel_WithDefaults_MeansWhatItSaid()
    {
        DesiredServiceTable table = ModelText.Load("""
            defaults: { port: 80, weight: 2, sched: wrr, forward: nat }
            services:
              - address: tcp://198.18.0.1
                destinations:
                  - address: 198.19.0.1:8080
                    weight: 1
                  - address: 198.19.0.2
              - address: udp://198.18.0.2:53
                sched: rr
                destinations:
                  - address: 198.19.0.3
                    forward: direct
            """);
        Assert.Equal(2, table.Services.Count);
        DesiredService web = table.Services[0];
        Assert.Equal(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80), web.Service.Key);
        Assert.Equal("wrr", web.Service.Scheduler);
        Assert.Equal((8080, 1, ForwardingMethod.Masquerade), (web.RealServers[0].Port, web.RealServers[0].Weight, web.RealServers[0].Forwarding));
        // No port: the service's; no weight: defaults.weight.
        Assert.Equal((80, 2), ((int)web.RealServers[1].Port, web.RealServers[1].Weight));
        DesiredService dns = table.Services[1];
        Assert.Equal("rr", dns.Service.Scheduler);
        Assert.Equal((53, ForwardingMethod.DirectRouting), ((int)dns.RealServers[0].Port, dns.RealServers[0].Forwarding));
    }

    [Fact]
    public void WithoutDefaults_SchedulerIsRr_WeightIs0_ForwardIsDirect()
    {
        DesiredService entry = Assert.Single(ModelText.Load("services: [ { address: 'tcp://198.18.0.1:80', destinations: [ { address: 198.19.0.1 } ] } ]").Services);
        Assert.Equal("rr", entry.Service.Scheduler);
        RealServer server = Assert.Single(entry.RealServers);
        Assert.Equal((0, ForwardingMethod.DirectRouting, (ushort)80), (server.Weight, server.Forwarding, server.Port));
    }

    [Fact]
    public void Extensions_Ipv6_Fwmark_Persistence_Netmask_Flags_Pe_Thresholds_Tunnel_Timeouts()
    {
        DesiredServiceTable table = ModelText.Load("""
            services:
              - address: udp://[2001:db8::1]:5060
                persistent: 600
                netmask: 64
                pe: sip
                destinations:
                  - address: "[2001:db8::2]:5060"
                    forward: nat
                    upper-threshold: 100
                    lower-threshold: 50
              - address: fwmark:7
                family: ipv6
                sched: sh
                flags: [sh-fallback, sh-port, one-packet]
              - address: tcp://198.18.0.1:80
                persistent: true
                netmask: 255.255.255.0
                destinations:
                  - address: 198.19.0.1:80
                    forward: tunnel
                    tunnel-type: gue
                    tunnel-port: 6080
                    tunnel-checksum: remcsum
            timeouts: { tcp: 1800, udp: 60 }
            """);
        VirtualService sip = table.Services[0].Service;
        Assert.Equal((600u, PersistenceNetmask.FromIpv6PrefixLength(64), "sip"), (sip.PersistenceTimeout, sip.Netmask, sip.PersistenceEngine));
        RealServer sipServer = table.Services[0].RealServers[0];
        Assert.Equal((100u, 50u), (sipServer.UpperThreshold, sipServer.LowerThreshold));
        VirtualService mark = table.Services[1].Service;
        Assert.Equal(VirtualServiceKey.ForFirewallMark(7, AddressFamily.InterNetworkV6), mark.Key);
        Assert.Equal(ServiceFlags.SourceHashFallback | ServiceFlags.SourceHashPort | ServiceFlags.OnePacket, mark.Flags);
        VirtualService web = table.Services[2].Service;
        Assert.Equal((300u, PersistenceNetmask.FromIpv4Mask(0xFFFFFF00u)), (web.PersistenceTimeout, web.Netmask));
        RealServer gue = table.Services[2].RealServers[0];
        Assert.Equal((TunnelType.Gue, (ushort)6080, TunnelFlags.RemoteChecksum), (gue.TunnelType, gue.TunnelPort, gue.TunnelFlags));
        Assert.Equal(new IpvsTimeouts(1800, 0, 60), table.Timeouts);
    }

    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("0", 0u)]
    [InlineData("/0", 0u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("32", 0xFFFFFFFFu)]
    public void Ipv4Netmask_FromAllClientsInOneGroup_ToASingleAddress(string netmask, uint expected)
    {
        VirtualService service = ModelText.Load($"services: [ {{ address: 'tcp://198.18.0.1:80', persistent: 60, netmask: '{netmask}' }} ]").Services[0].Service;
        Assert.Equal(PersistenceNetmask.FromIpv4Mask(expected), service.EffectiveNetmask);
        Assert.Equal(expected, service.EffectiveNetmask.Ipv4Mask);
    }

    [Fact]
    public void NoNetmask_IsTheDefault_NotZero()
    {
        VirtualService service = ModelText.Load("services: [ { address: 'tcp://198.18.0.1:80', persistent: 60 } ]").Services[0].Service;
        Assert.Null(service.Netmask);
        Assert.Equal(0xFFFFFFFFu, service.EffectiveNetmask.Ipv4Mask);
    }

    [Fact]
    public void EmptyModels_AreTheEmptyTable()
    {
        Assert.Empty(ModelText.Load("").Services);
        Assert.Empty(ModelText.Load("{}").Services);
        Assert.Empty(ModelText.Load("services:").Services);
        Assert.Null(ModelText.Load("{}").Timeouts);
    }

    [Theory]
    [InlineData("services: [ { address: 'tcp:/198.18.0.1' } ]", "service tcp:/198.18.0.1 (line 1): 'tcp:/198.18.0.1' is neither tcp|udp|sctp://IP[:PORT] nor fwmark:N: write it like")]
    [InlineData("services: [ { address: 'no-such-proto:/123' } ]", "is neither tcp|udp|sctp://IP[:PORT] nor fwmark:N")]
    [InlineData("services: [ { address: 'tcp://999.999.1.1:80' } ]", "'999.999.1.1' is not an IP address")]
    [InlineData("services: [ { address: 'tcp://1.2:80' } ]", "'1.2' is not an IP address")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:65536' } ]", "port '65536' is not a number from 0 to 65535")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:http' } ]", "port 'http' is not a number from 0 to 65535")]
    [InlineData("services: [ { address: 'udp://[fe80:::1]:89' } ]", "'fe80:::1' is not an IP address")]
    [InlineData("services: [ { address: 'tcp://[2001:db8::1:80' } ]", "opens '[' without closing ']'")]
    [InlineData("services: [ { address: 'fwmark:NaN' } ]", "firewall mark 'NaN' is not a number from 1 to 4294967295")]
    [InlineData("services: [ { address: 'fwmark:0' } ]", "firewall mark '0' is not a number from 1 to 4294967295")]
    [InlineData("services: [ { sched: rr } ]", "service 1 (line 1) has no address: add address:")]
    [InlineData("services: [ { address: '' } ]", "service 1 (line 1) has no address")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1' } ]", "service tcp://198.18.0.1 (line 1) has no port: add :PORT to the address, set defaults.port, or add persistent: SECONDS")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', sched: xrr } ]", "service tcp://198.18.0.1:80 sched (line 1): unknown scheduler 'xrr': use one of rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', family: ipv6 } ]", "family ipv6 does not match the address")]
    [InlineData("services: [ { address: 'fwmark:1', family: ipx } ]", "unknown family 'ipx': use ipv4 or ipv6")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', persistent: 2678401 } ]", "persistent (line 1): 2678401 is out of range: use seconds from 1 to 2678400")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', persistent: soon } ]", "'soon' is not a whole number")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', netmask: 255.0.255.0 } ]", "'255.0.255.0' is not a netmask: use a mask like 255.255.255.0 or a prefix length like 24")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', netmask: 33 } ]", "33 is out of range: use a prefix length from 0 to 32")]
    [InlineData("services: [ { address: 'tcp://[2001:db8::1]:80', netmask: 129 } ]", "129 is out of range: use an IPv6 prefix length from 1 to 128")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', flags: [fast] } ]", "unknown flag 'fast': use sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3, one-packet")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', sched: rr, flags: [sh-port] } ]", "sh-port is a flag of the sh scheduler, this service uses rr: use sched: sh or flag-1/flag-2")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80', pe: http } ]", "unknown persistence engine 'http': use sip")]
    [InlineData("services: [ { address: 'tcp://198.18.0.1:80' }, { address: 'tcp://198.18.0.1:80' } ]", "service tcp://198.18.0.1:80 (line 1) is listed twice (first on line 1): merge the two into one")]
    [InlineData("defaults: { port: 8374284 }", "defaults.port (line 1): 8374284 is out of range: use a port from 1 to 65535")]
    [InlineData("defaults: { weight: 7462943 }", "defaults.weight (line 1): 7462943 is out of range: use a weight from 0 (no new connections) to 65535")]
    [InlineData("defaults: { sched: nosuchsched }", "defaults.sched (line 1): unknown scheduler 'nosuchsched'")]
    [InlineData("defaults: { forward: blackhole }", "defaults.forward (line 1): unknown value 'blackhole': use one of nat direct tunnel local bypass")]
    [InlineData("timeouts: { tcp: 0 }", "timeouts.tcp (line 1): 0 is out of range: use seconds from 1 to 2147483")]
    [InlineData("timeouts: { udp: x }", "timeouts.udp (line 1): 'x' is not a whole number")]
    public void ServiceAndDefaultsErrors(string yaml, string expected) => Assert.Contains(expected, ModelText.SingleError(yaml), StringComparison.Ordinal);

    [Theory]
    [InlineData("{ address: '' }", "destination 1 of service tcp://198.18.0.1:80 (line 1) has no address: add address: IP[:PORT]")]
    [InlineData("{ address: no.such.ip }", "destination no.such.ip of service tcp://198.18.0.1:80 (line 1): 'no.such.ip' is not an IP address")]
    [InlineData("{ address: '198.19.0.1:BADPORT' }", "port 'BADPORT' is not a number from 0 to 65535: write it like 198.19.0.1:8080")]
    [InlineData("{ address: '198.19.0.1:89647' }", "port '89647' is not a number from 0 to 65535")]
    [InlineData("{ address: 198.19.0.1, forward: nsf }", "forward (line 1): unknown value 'nsf': use one of nat direct tunnel local bypass")]
    [InlineData("{ address: 198.19.0.1, weight: NaN }", "weight (line 1): 'NaN' is not a whole number: use a weight from 0 (no new connections) to 65535")]
    [InlineData("{ address: 198.19.0.1, weight: 89647 }", "weight (line 1): 89647 is out of range: use a weight from 0 (no new connections) to 65535")]
    [InlineData("{ address: 198.19.0.1, weight: -1 }", "weight (line 1): weight -1 is negative: use 0 (no new connections) to 65535")]
    [InlineData("{ address: 198.19.0.1, upper-threshold: -5 }", "upper-threshold (line 1): -5 is out of range: use 0 (no limit) or a connection count")]
    [InlineData("{ address: 198.19.0.1, upper-threshold: 10, lower-threshold: 20 }", "lower-threshold 20 is above upper-threshold 10: set lower-threshold below upper-threshold")]
    [InlineData("{ address: '[2001:db8::2]:80', forward: nat }", "an IPv6 real server behind an IPv4 service needs forward: tunnel")]
    [InlineData("{ address: 198.19.0.1, forward: nat, tunnel-type: gre }", "tunnel settings need forward: tunnel: set forward: tunnel or drop tunnel-type, tunnel-port and tunnel-checksum")]
    [InlineData("{ address: 198.19.0.1, forward: tunnel, tunnel-type: vxlan }", "tunnel-type (line 1): unknown value 'vxlan': use one of ipip gue gre")]
    [InlineData("{ address: 198.19.0.1, forward: tunnel, tunnel-type: gue }", "a gue tunnel needs tunnel-port: add tunnel-port: PORT")]
    [InlineData("{ address: 198.19.0.1, forward: tunnel, tunnel-type: gre, tunnel-port: 6080 }", "tunnel-port is only for gue tunnels")]
    [InlineData("{ address: 198.19.0.1, forward: tunnel, tunnel-type: gue, tunnel-port: 0 }", "tunnel-port (line 1): 0 is out of range: use a UDP port from 1 to 65535")]
    [InlineData("{ address: 198.19.0.1, forward: tunnel, tunnel-checksum: csum }", "tunnel-checksum is only for gue and gre tunnels")]
    [InlineData("{ address: 198.19.0.1, forward: tunnel, tunnel-type: gre, tunnel-checksum: remcsum }", "tunnel-checksum remcsum is only for gue tunnels")]
    [InlineData("{ address: 198.19.0.1, forward: tunnel, tunnel-type: gre, tunnel-checksum: md5 }", "unknown value 'md5': use one of nocsum csum remcsum")]
    public void DestinationErrors(string destination, string expected) =>
        Assert.Contains(expected, ModelText.SingleError($"services: [ {{ address: 'tcp://198.18.0.1:80', destinations: [ {destination} ] }} ]"), StringComparison.Ordinal);

    [Fact]
    public void DuplicateDestination_AfterPortDefaulting_IsAnError()
    {
        string error = ModelText.SingleError("services: [ { address: 'tcp://198.18.0.1:80', destinations: [ { address: 198.19.0.1 }, { address: '198.19.0.1:80' } ] } ]");
        Assert.Equal("destination 198.19.0.1:80 of service tcp://198.18.0.1:80 (line 1) is listed twice: remove one", error);
    }

    [Fact]
    public void EveryProblem_IsReported_NotOnlyTheFirst()
    {
        (int exitCode, IReadOnlyList<string> lines) = ModelText.Fail("""
            services:
              - address: tcp:/198.18.0.1
                sched: xrr
                destinations:
                  - address: 198.19.0.1
                    weight: -3
              - address: tcp://198.18.0.2:80
                destinations:
                  - address: 198.19.0.1
                    forward: nsf
            """);
        Assert.Equal(32, exitCode);
        Assert.Equal(4, lines.Count);
        Assert.Contains("line 2", lines[0], StringComparison.Ordinal);
        Assert.Contains("unknown scheduler 'xrr'", lines[1], StringComparison.Ordinal);
        Assert.Contains("weight -3 is negative", lines[2], StringComparison.Ordinal);
        Assert.Contains("unknown value 'nsf'", lines[3], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.DoesNotContain('\n', l));
    }
}
