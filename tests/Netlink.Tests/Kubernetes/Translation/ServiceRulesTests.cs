using System.Net;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Rules;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>Rule inputs of many Services together, and the rule set the backends install from them.</summary>
public sealed class ServiceRulesTests
{
    private static VirtualIpRule Vip(string address, ushort port, VirtualIpKind kind, bool local = false) =>
        new(new VirtualIp(IPAddress.Parse(address), ServiceProtocol.Tcp, port), kind, local);

    [Fact]
    public void Union_KeepsEachRuleOnce_InTheOrderFirstSeen()
    {
        var web = new ServiceRules([Vip("10.96.0.10", 80, VirtualIpKind.ClusterIp), Vip("198.51.100.7", 80, VirtualIpKind.ExternalIp)],
            [new NodePortRule(new NodePort(ServiceProtocol.Tcp, 30080), false)], []);
        var api = new ServiceRules([Vip("198.51.100.7", 80, VirtualIpKind.ExternalIp), Vip("10.96.0.11", 80, VirtualIpKind.ClusterIp)],
            [new NodePortRule(new NodePort(ServiceProtocol.Tcp, 30080), false)],
            [new SourceRangeRule(new VirtualIp(IPAddress.Parse("203.0.113.10"), ServiceProtocol.Tcp, 443), [IPNetwork.Parse("10.0.0.0/8")], false)]);

        ServiceRules all = ServiceRules.Union([web, api, ServiceRules.Empty]);

        Assert.Equal(["ClusterIp tcp 10.96.0.10:80", "ExternalIp tcp 198.51.100.7:80", "ClusterIp tcp 10.96.0.11:80"], all.VirtualIps.Select(v => v.ToString()));
        Assert.Equal("tcp node port 30080", Assert.Single(all.NodePorts).ToString());
        Assert.Equal("tcp 203.0.113.10:443 from [10.0.0.0/8], not from this node", Assert.Single(all.SourceRanges).ToString());
        Assert.Equal(all, ServiceRules.Union([web, api]));
    }

    [Fact]
    public void ToRuleSet_LeavesTrafficThatKeepsItsClientAddressUnmarked()
    {
        var rules = new ServiceRules(
            [Vip("10.96.0.10", 80, VirtualIpKind.ClusterIp), Vip("198.51.100.7", 80, VirtualIpKind.ExternalIp, local: true), Vip("203.0.113.10", 443, VirtualIpKind.LoadBalancerIp)],
            [new NodePortRule(new NodePort(ServiceProtocol.Tcp, 30080), false), new NodePortRule(new NodePort(ServiceProtocol.Udp, 30053), true)],
            []);

        ServiceRuleSet set = rules.ToRuleSet(new ServiceRuleSet { ClusterCidrs = [IPNetwork.Parse("10.244.0.0/16")] });

        Assert.Equal(["tcp 10.96.0.10:80"], set.VirtualIps.Select(v => v.ToString()));
        Assert.Equal(["tcp 203.0.113.10:443"], set.ExternalVirtualIps.Select(v => v.ToString()));
        Assert.Equal(["tcp 198.51.100.7:80"], set.UnmarkedVirtualIps.Select(v => v.ToString()));
        Assert.Equal([new NodePort(ServiceProtocol.Tcp, 30080)], set.NodePorts);
        Assert.Equal([IPNetwork.Parse("10.244.0.0/16")], set.ClusterCidrs);
        set.Validate();
    }

    [Fact]
    public void ToRuleSet_MarksAVirtualIpThatServicesWantMarkedTwoWays_TheWidestWay()
    {
        var rules = new ServiceRules(
        [
            Vip("198.51.100.7", 80, VirtualIpKind.ExternalIp, local: true), Vip("198.51.100.7", 80, VirtualIpKind.ClusterIp),
            Vip("203.0.113.10", 443, VirtualIpKind.ClusterIp), Vip("203.0.113.10", 443, VirtualIpKind.LoadBalancerIp),
            Vip("203.0.113.11", 443, VirtualIpKind.LoadBalancerIp, local: true), Vip("203.0.113.11", 443, VirtualIpKind.ExternalIp),
        ], [], []);

        ServiceRuleSet set = rules.ToRuleSet(new ServiceRuleSet());

        Assert.Equal(["tcp 198.51.100.7:80"], set.VirtualIps.Select(v => v.ToString()));
        Assert.Equal(["tcp 203.0.113.10:443", "tcp 203.0.113.11:443"], set.ExternalVirtualIps.Select(v => v.ToString()));
        Assert.Empty(set.UnmarkedVirtualIps);
        set.Validate(); // each virtual IP in one list
    }

    [Fact]
    public void ToRuleSet_EnforcesSourceRanges_LettingTheNodeThroughOnlyWhenARangeHoldsANodeAddress()
    {
        var closed = new VirtualIp(IPAddress.Parse("203.0.113.10"), ServiceProtocol.Tcp, 443);
        var open = new VirtualIp(IPAddress.Parse("2001:db8::10"), ServiceProtocol.Udp, 53);
        var rules = new ServiceRules([], [],
        [
            new SourceRangeRule(closed, [IPNetwork.Parse("198.51.100.0/24")], NodeAllowed: false),
            new SourceRangeRule(open, [IPNetwork.Parse("2001:db8:5::/48")], NodeAllowed: true),
        ]);

        ServiceRuleSet set = rules.ToRuleSet(new ServiceRuleSet());

        Assert.Equal([new SourceRange(closed, [IPNetwork.Parse("198.51.100.0/24")]), new SourceRange(open, [IPNetwork.Parse("2001:db8:5::/48"), IPNetwork.Parse("2001:db8::10/128")])],
            set.SourceRanges);
    }

    [Fact]
    public void ToRuleSet_RejectsUnknownPortsOnTheBoundAddresses_AndMasqueradesTheHairpinEndpoints()
    {
        var rules = new ServiceRules([Vip("10.96.0.10", 80, VirtualIpKind.ClusterIp)], [], []);
        var endpoint = new VirtualIp(IPAddress.Parse("10.244.1.5"), ServiceProtocol.Tcp, 8080);

        ServiceRuleSet set = rules.ToRuleSet(new ServiceRuleSet { MasqueradeMark = 0x8000 }, [IPAddress.Parse("10.96.0.10")], [endpoint]);

        Assert.Equal([IPAddress.Parse("10.96.0.10")], set.RejectUnknownPortsOn);
        Assert.Equal([endpoint], set.HairpinEndpoints);
        Assert.Equal(0x8000u, set.MasqueradeMark);
        Assert.Equal(set, rules.ToRuleSet(new ServiceRuleSet { MasqueradeMark = 0x8000 }, [IPAddress.Parse("10.96.0.10")], [endpoint])); // deterministic
    }
}
