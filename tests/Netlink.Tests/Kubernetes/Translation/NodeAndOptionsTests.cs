using System.Net;
using k8s;
using k8s.Models;
using ServiceProxy.Kubernetes.Translation;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>Which Services this proxy serves, which addresses are the node's, and where node ports listen.</summary>
public sealed class NodeAndOptionsTests
{
    private static readonly LocalAddress[] Host =
    [
        new("lo", IPAddress.Parse("127.0.0.1")),
        new("lo", IPAddress.IPv6Loopback),
        new("eth0", IPAddress.Parse("192.0.2.10")),
        new("eth0", IPAddress.Parse("fe80::1")),
        new("eth0", IPAddress.Parse("2001:db8::10")),
        new("eth1", IPAddress.Parse("198.18.5.1")),
        new("eth1", IPAddress.Parse("192.0.2.10")),
        new("ipvsd0", IPAddress.Parse("10.96.0.10")),
    ];

    [Fact]
    public void NodeAddresses_LeaveOutTheDummyInterfaceLoopbackAndLinkLocal()
    {
        Assert.Equal("192.0.2.10 198.18.5.1 2001:db8::10", string.Join(" ", NodePortAddresses.NodeAddresses(Host, "ipvsd0")));
    }

    [Fact]
    public void NodePortAddresses_AreTheNodeAddressesInsideTheConfiguredNetworks()
    {
        Assert.Equal("192.0.2.10 198.18.5.1 2001:db8::10", string.Join(" ", NodePortAddresses.Select(Host, [], "ipvsd0")));
        Assert.Equal("198.18.5.1", string.Join(" ", NodePortAddresses.Select(Host, [IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("10.96.0.0/12")], "ipvsd0")));
    }

    [Fact]
    public void ProxyNode_TakesItsZoneFromTheNodeObject()
    {
        V1Node node = KubernetesJson.Deserialize<V1Node>("""
            {
              "apiVersion": "v1",
              "kind": "Node",
              "metadata": {
                "name": "node-a",
                "labels": {"kubernetes.io/hostname": "node-a", "topology.kubernetes.io/region": "eu-1", "topology.kubernetes.io/zone": "eu-1a"}
              },
              "status": {"addresses": [{"type": "InternalIP", "address": "192.0.2.10"}, {"type": "Hostname", "address": "node-a"}]}
            }
            """);
        var options = new KubernetesProxyOptions { NodeName = "node-a", NodePortCidrs = [IPNetwork.Parse("192.0.2.0/24")] };

        ProxyNode proxyNode = ProxyNode.Create(options, node, Host, "ipvsd0");

        Assert.Equal("node-a", proxyNode.Name);
        Assert.Equal("eu-1a", proxyNode.Zone);
        Assert.Equal("192.0.2.10", string.Join(" ", proxyNode.NodePortAddresses));
        Assert.Equal(proxyNode, ProxyNode.Create(options, node, Host.Reverse(), "ipvsd0"));
        Assert.Null(ProxyNode.Create(options, null, Host, "ipvsd0").Zone);
    }

    [Theory]
    [InlineData(null, "{}", true)]
    [InlineData(null, """{"service.kubernetes.io/service-proxy-name":"ipvsd"}""", false)]
    [InlineData(null, """{"service.kubernetes.io/headless":""}""", false)]
    [InlineData("ipvsd", "{}", false)]
    [InlineData("ipvsd", """{"service.kubernetes.io/service-proxy-name":"ipvsd"}""", true)]
    [InlineData("ipvsd", """{"service.kubernetes.io/service-proxy-name":"other"}""", false)]
    public void Selects_ServicesByTheServiceProxyNameLabel(string? proxyName, string labels, bool selected)
    {
        var options = new KubernetesProxyOptions { ServiceProxyName = proxyName };
        V1ObjectMeta metadata = KubernetesJson.Deserialize<V1ObjectMeta>($$"""{"name":"web","namespace":"default","labels":{{labels}}}""");

        Assert.Equal(selected, options.Selects(metadata.Labels));
    }

    [Fact]
    public void LabelSelector_SelectsWhatSelectsDecides()
    {
        Assert.Equal("!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless", new KubernetesProxyOptions().LabelSelector);
        Assert.Equal("service.kubernetes.io/service-proxy-name=ipvsd", new KubernetesProxyOptions { ServiceProxyName = "ipvsd" }.LabelSelector);
    }
}
