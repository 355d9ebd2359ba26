using k8s.Models;
using ServiceProxy.Kubernetes.Translation;
using static Netlink.Tests.Kubernetes.Translation.Objects;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>Node ports, external IPs, load balancer IPs, source ranges and session affinity.</summary>
public sealed class ExternalTranslationTests
{
    private static V1EndpointSlice[] Pods(string service) =>
        [Slice($"{service}-1", service, $"[{Ready("10.244.1.5")},{Ready("10.244.0.3", node: Node, zone: Zone)}]")];

    private static V1Service NodePortService(string more = "") => Service("shop", $$"""
        "type": "NodePort",
        "clusterIP": "10.96.0.20",
        "clusterIPs": ["10.96.0.20"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],
        "selector": {"app": "shop"},
        "sessionAffinity": "None",
        "externalTrafficPolicy": "Cluster",
        "internalTrafficPolicy": "Cluster"{{more}}
        """);

    [Fact]
    public void NodePort_IsOneVirtualServerPerNodeAddressOfTheServicesFamily_NotBound()
    {
        ServiceTranslation t = Translate(NodePortService(), Pods("shop"));

        Assert.Equal(Lines("""
            TCP 10.96.0.20:80 rr
              -> 10.244.0.3:8080
              -> 10.244.1.5:8080
            TCP 192.0.2.10:30080 rr
              -> 10.244.0.3:8080
              -> 10.244.1.5:8080
            """), Render(t.Services));
        Assert.Equal("10.96.0.20", Render(t.VirtualIps));
        Assert.Equal(Lines("""
            ClusterIp tcp 10.96.0.20:80
            tcp node port 30080
            """), Render(t.Rules));
    }

    [Fact]
    public void ExternalIps_AreVirtualServers_BoundUnlessTheNodeHasThem()
    {
        V1Service service = NodePortService(""","externalIPs": ["198.51.100.7", "192.0.2.10", "2001:db8::77"]""");

        ServiceTranslation t = Translate(service, Pods("shop"));

        Assert.Equal(Lines("""
            TCP 10.96.0.20:80 rr
              -> 10.244.0.3:8080
              -> 10.244.1.5:8080
            TCP 192.0.2.10:30080 rr
              -> 10.244.0.3:8080
              -> 10.244.1.5:8080
            TCP 198.51.100.7:80 rr
              -> 10.244.0.3:8080
              -> 10.244.1.5:8080
            TCP 192.0.2.10:80 rr
              -> 10.244.0.3:8080
              -> 10.244.1.5:8080
            """), Render(t.Services)); // the IPv6 external IP has no IPv6 cluster IP to go with: kube-proxy serves it in no family either
        Assert.Equal("10.96.0.20 198.51.100.7", Render(t.VirtualIps));
        Assert.Equal(Lines("""
            ClusterIp tcp 10.96.0.20:80
            ExternalIp tcp 198.51.100.7:80
            ExternalIp tcp 192.0.2.10:80
            tcp node port 30080
            """), Render(t.Rules));
    }

    private static V1Service LoadBalancer(string ingress, string more = "") => Service("lb", $$"""
        "type": "LoadBalancer",
        "clusterIP": "10.96.0.30",
        "clusterIPs": ["10.96.0.30"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "allocateLoadBalancerNodePorts": true,
        "ports": [{"name":"https","protocol":"TCP","port":443,"targetPort":8443,"nodePort":31443}],
        "selector": {"app": "lb"},
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster"{{more}}
        """, status: "{\"loadBalancer\":{\"ingress\":" + ingress + "}}");

    private static V1EndpointSlice LbPods() =>
        Slice("lb-1", "lb", $"[{Ready("10.244.1.5")},{Ready("10.244.0.3", node: Node, zone: Zone)}]", """[{"name":"https","protocol":"TCP","port":8443}]""");

    [Fact]
    public void LoadBalancerIngressIps_WithIpModeVipOrUnset_AreVirtualServers()
    {
        V1Service service = LoadBalancer("""
            [{"ip":"203.0.113.10","ipMode":"VIP"},
             {"ip":"203.0.113.11"},
             {"ip":"203.0.113.12","ipMode":"Proxy"},
             {"hostname":"lb.example.com"}]
            """, ""","externalTrafficPolicy":"Cluster" """);

        ServiceTranslation t = Translate(service, LbPods());

        Assert.Equal(["TCP 10.96.0.30:443", "TCP 192.0.2.10:31443", "TCP 203.0.113.10:443", "TCP 203.0.113.11:443"],
            t.Services.Select(s => s.Service.Key.ToString()));
        Assert.All(t.Services, s => Assert.Equal(2, s.RealServers.Count));
        Assert.Equal("10.96.0.30 203.0.113.10 203.0.113.11", Render(t.VirtualIps));
        Assert.Equal(Lines("""
            ClusterIp tcp 10.96.0.30:443
            LoadBalancerIp tcp 203.0.113.10:443
            LoadBalancerIp tcp 203.0.113.11:443
            tcp node port 31443
            """), Render(t.Rules));
        Assert.Null(t.HealthCheck); // externalTrafficPolicy Cluster: the load balancer checks nothing per node
    }

    [Theory]
    [InlineData("[\"10.0.0.0/8\"]", "range tcp 203.0.113.10:443 from [10.0.0.0/8], not from this node")]
    [InlineData("[\" 192.0.2.0/24 \", \"10.1.2.3/8\", \"2001:db8::/32\"]", "range tcp 203.0.113.10:443 from [192.0.2.0/24, 10.0.0.0/8]")]
    public void SourceRanges_GuardEachLoadBalancerIp_AndTheNodeUnlessARangeHoldsIt(string ranges, string expected)
    {
        V1Service service = LoadBalancer("""[{"ip":"203.0.113.10","ipMode":"VIP"}]""", $",\"loadBalancerSourceRanges\": {ranges}");

        ServiceTranslation t = Translate(service, LbPods());

        SourceRangeRule rule = Assert.Single(t.Rules.SourceRanges);
        Assert.Equal(expected, "range " + rule);
        Assert.Empty(t.Problems);
    }

    [Fact]
    public void ExternalTrafficPolicyLocal_SendsOutsideTrafficToLocalEndpoints_AndKeepsTheClientAddress()
    {
        V1Service service = LoadBalancer("""[{"ip":"203.0.113.10","ipMode":"VIP"}]""",
            ""","externalTrafficPolicy":"Local","healthCheckNodePort":32000,"externalIPs":["198.51.100.7"]""");

        ServiceTranslation t = Translate(service, LbPods());

        Assert.Equal(Lines("""
            TCP 10.96.0.30:443 rr
              -> 10.244.0.3:8443
              -> 10.244.1.5:8443
            TCP 192.0.2.10:31443 rr
              -> 10.244.0.3:8443
            TCP 198.51.100.7:443 rr
              -> 10.244.0.3:8443
            TCP 203.0.113.10:443 rr
              -> 10.244.0.3:8443
            """), Render(t.Services));
        Assert.Equal(Lines("""
            ClusterIp tcp 10.96.0.30:443
            ExternalIp tcp 198.51.100.7:443 (local)
            LoadBalancerIp tcp 203.0.113.10:443 (local)
            tcp node port 31443 (local)
            """), Render(t.Rules));
        Assert.Equal(new HealthCheckNodePort(32000, 1), t.HealthCheck);
    }

    [Fact]
    public void ExternalTrafficPolicyLocal_WithNoLocalEndpoint_FallsBackToAllOfThem()
    {
        V1Service service = LoadBalancer("""[{"ip":"203.0.113.10"}]""", ""","externalTrafficPolicy":"Local","healthCheckNodePort":32000""");
        V1EndpointSlice remote = Slice("lb-1", "lb", $"[{Ready("10.244.1.5")}]", """[{"name":"https","protocol":"TCP","port":8443}]""");

        ServiceTranslation t = Translate(service, remote);

        // kubernetes #97081: pods on this node can still reach the Service; outside clients get no answer they can use
        Assert.All(t.Services, s => Assert.Equal("10.244.1.5:8443", Assert.Single(s.RealServers).Endpoint));
        Assert.Equal(new HealthCheckNodePort(32000, 0), t.HealthCheck); // so the cloud load balancer sends nothing here
    }

    [Fact]
    public void ExternalTrafficPolicyLocal_UsesLocalTerminatingEndpointsWhenNoLocalOneIsReady()
    {
        V1Service service = LoadBalancer("""[{"ip":"203.0.113.10"}]""", ""","externalTrafficPolicy":"Local","healthCheckNodePort":32000""");
        V1EndpointSlice slice = Slice("lb-1", "lb",
            $"[{Ready("10.244.1.5")},{Endpoint("10.244.0.3", """{"ready":false,"serving":true,"terminating":true}""", Node, Zone)}]",
            """[{"name":"https","protocol":"TCP","port":8443}]""");

        ServiceTranslation t = Translate(service, slice);

        Assert.Equal(["10.244.1.5:8443", "10.244.0.3:8443", "10.244.0.3:8443"], t.Services.Select(s => Assert.Single(s.RealServers).Endpoint));
        Assert.Equal(new HealthCheckNodePort(32000, 0), t.HealthCheck); // terminating endpoints do not make the node healthy
    }

    [Fact]
    public void ExternalTrafficPolicyLocal_AppliesToTheExternalIpsOfAClusterIpService()
    {
        ServiceTranslation t = Translate(Service("web", ClusterIpSpec("\"externalIPs\":[\"198.51.100.7\"],\"externalTrafficPolicy\":\"Local\"")),
            Slice("web-1", "web", $"[{Ready("10.244.1.5")},{Ready("10.244.0.3", node: Node)}]"));

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.0.3:8080
              -> 10.244.1.5:8080
            TCP 198.51.100.7:80 rr
              -> 10.244.0.3:8080
            """), Render(t.Services));
        Assert.Null(t.HealthCheck); // only LoadBalancer Services have a health check node port
    }

    [Fact]
    public void InternalTrafficPolicyLocal_SendsClusterIpTrafficToLocalEndpointsOnly()
    {
        V1Service service = Service("web", ClusterIpSpec().Replace("\"internalTrafficPolicy\": \"Cluster\"", "\"internalTrafficPolicy\": \"Local\"", StringComparison.Ordinal));

        ServiceTranslation local = Translate(service, Slice("web-1", "web", $"[{Ready("10.244.1.5")},{Ready("10.244.0.3", node: Node)}]"));
        ServiceTranslation none = Translate(service, Slice("web-1", "web", $"[{Ready("10.244.1.5")}]"));

        Assert.Equal("10.244.0.3:8080", Assert.Single(Assert.Single(local.Services).RealServers).Endpoint);
        Assert.Empty(Assert.Single(none.Services).RealServers); // no local endpoint: nothing, as kube-proxy does
    }

    [Fact]
    public void InternalTrafficPolicyLocal_OnANodePortService_FallsBackToAllEndpointsWhenNoneIsLocal()
    {
        V1Service service = Service("shop", NodePortSpecWithInternalLocal());

        ServiceTranslation t = Translate(service, Slice("shop-1", "shop", $"[{Ready("10.244.1.5")}]"));

        Assert.All(t.Services, s => Assert.Equal("10.244.1.5:8080", Assert.Single(s.RealServers).Endpoint));
    }

    private static string NodePortSpecWithInternalLocal() => """
        "type": "NodePort",
        "clusterIP": "10.96.0.20",
        "clusterIPs": ["10.96.0.20"],
        "ports": [{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],
        "externalTrafficPolicy": "Cluster",
        "internalTrafficPolicy": "Local"
        """;

    [Theory]
    [InlineData("", 10800u)]
    [InlineData(""","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}}""", 60u)]
    public void SessionAffinityClientIp_MakesEveryVirtualServerPersistent(string config, uint timeout)
    {
        V1Service service = Service("lb", LbSpecWithAffinity(config));

        ServiceTranslation t = Translate(service, LbPods());

        Assert.Equal(4, t.Services.Count);
        Assert.All(t.Services, s => Assert.Equal(timeout, s.Service.PersistenceTimeout));
    }

    private static string LbSpecWithAffinity(string config) => $$"""
        "type": "NodePort",
        "clusterIP": "10.96.0.30",
        "clusterIPs": ["10.96.0.30"],
        "externalIPs": ["198.51.100.7", "198.51.100.8"],
        "ports": [{"name":"https","protocol":"TCP","port":443,"targetPort":8443,"nodePort":31443}],
        "sessionAffinity": "ClientIP"{{config}}
        """;
}
