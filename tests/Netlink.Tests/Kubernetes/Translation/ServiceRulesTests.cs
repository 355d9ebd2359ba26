using System.Net;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Rules;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>Rule inputs of many Services together, and the part today's rule backends can install.</summary>
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

        Assert.Equal("mark 0x4000, masquerade from outside 10.244.0.0/16; virtual IPs: [tcp 10.96.0.10:80, tcp 203.0.113.10:443]; node ports: [tcp 30080]", set.ToString());
    }
}
