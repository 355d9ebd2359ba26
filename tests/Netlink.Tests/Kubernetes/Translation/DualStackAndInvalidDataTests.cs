using k8s.Models;
using ServiceProxy.Kubernetes.Translation;
using static Netlink.Tests.Kubernetes.Translation.Objects;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>Both address families from one Service; data the API server would refuse is skipped with a reason, never thrown.</summary>
public sealed class DualStackAndInvalidDataTests
{
    [Fact]
    public void DualStackService_GetsVirtualServersInBothFamilies_EachWithItsOwnEndpoints()
    {
        V1Service service = Service("web", """
            "type": "NodePort",
            "clusterIP": "10.96.0.10",
            "clusterIPs": ["10.96.0.10", "fd00:96::10"],
            "ipFamilies": ["IPv4", "IPv6"],
            "ipFamilyPolicy": "PreferDualStack",
            "externalIPs": ["198.51.100.7", "2001:db8:77::7"],
            "ports": [{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],
            "externalTrafficPolicy": "Cluster",
            "internalTrafficPolicy": "Cluster"
            """);
        V1EndpointSlice v4 = Slice("web-v4", "web", $"[{Ready("10.244.1.5")}]");
        V1EndpointSlice v6 = Slice("web-v6", "web", $"[{Ready("fd00:244::5")}]", addressType: "IPv6");

        ServiceTranslation t = Translate(service, v6, v4);

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.1.5:8080
            TCP 192.0.2.10:30080 rr
              -> 10.244.1.5:8080
            TCP 198.51.100.7:80 rr
              -> 10.244.1.5:8080
            TCP [fd00:96::10]:80 rr
              -> [fd00:244::5]:8080
            TCP [2001:db8::10]:30080 rr
              -> [fd00:244::5]:8080
            TCP [2001:db8:77::7]:80 rr
              -> [fd00:244::5]:8080
            """), Render(t.Services));
        Assert.Equal("10.96.0.10 198.51.100.7 2001:db8:77::7 fd00:96::10", Render(t.VirtualIps));
        Assert.Equal(Lines("""
            ClusterIp tcp 10.96.0.10:80
            ExternalIp tcp 198.51.100.7:80
            ClusterIp tcp [fd00:96::10]:80
            ExternalIp tcp [2001:db8:77::7]:80
            tcp node port 30080
            """), Render(t.Rules));
        Assert.Empty(t.Problems);
    }

    [Fact]
    public void InvalidValues_AreSkippedWithReasons_AndTheRestIsServed()
    {
        V1Service service = Service("odd", """
            "type": "LoadBalancer",
            "clusterIP": "10.96.0.40",
            "clusterIPs": ["10.96.0.40", "10.96.0.41", "fd00::zz"],
            "externalIPs": ["198.51.100.300"],
            "loadBalancerSourceRanges": ["10.0.0.0/33", "10.0.0.0/8"],
            "ports": [
              {"name":"zero","protocol":"TCP","port":0},
              {"name":"icmp","protocol":"ICMP","port":7},
              {"name":"http","protocol":"TCP","port":80,"nodePort":70000}
            ],
            "sessionAffinity": "ClientIP",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}},
            "externalTrafficPolicy": "Local",
            "healthCheckNodePort": 0
            """, status: """{"loadBalancer":{"ingress":[{"ip":"not-an-ip"},{"ip":"203.0.113.40"}]}}""");

        ServiceTranslation t = Translate(service);

        Assert.Equal(Lines("""
            TCP 10.96.0.40:80 rr persistent 10800
            TCP 203.0.113.40:80 rr persistent 10800
            """), Render(t.Services));
        Assert.Equal([
            "default/odd: clusterIPs[1] 10.96.0.41 is a second cluster IP of its family: skipped",
            "default/odd: clusterIPs[2] 'fd00::zz' is not an IP address: skipped",
            "default/odd: externalIPs[0] '198.51.100.300' is not an IP address: skipped",
            "default/odd: status.loadBalancer.ingress[0].ip 'not-an-ip' is not an IP address: skipped",
            "default/odd: loadBalancerSourceRanges[0] '10.0.0.0/33' is not a CIDR: skipped",
            "default/odd: sessionAffinityConfig.clientIP.timeoutSeconds 0 is not positive: 10800 is used",
            "default/odd: port 'zero' has number 0: skipped",
            "default/odd: port 'icmp' has protocol 'ICMP', which IPVS does not serve: skipped",
            "default/odd: port 'http' has node port 70000: no node port",
            "default/odd: healthCheckNodePort 0 is not a port: no health check",
        ], t.Problems);
        Assert.Equal("range tcp 203.0.113.40:80 from [10.0.0.0/8], not from this node", "range " + Assert.Single(t.Rules.SourceRanges));
    }

    [Fact]
    public void NullListEntries_AreSkipped()
    {
        V1Service service = Service("web", ClusterIpSpec(ports: """[null, {"name":"http","protocol":"TCP","port":80}]"""),
            status: """{"loadBalancer":{"ingress":[null]}}""");
        V1EndpointSlice slice = Slice("web-1", "web",
            """[null, {"addresses":["10.244.1.5"],"hints":{"forZones":[null]}}]""",
            """[null, {"name":"http","protocol":"TCP","port":8080}]""");

        ServiceTranslation t = Translate(service, slice);

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.1.5:8080
            """), Render(t.Services));
    }

    [Fact]
    public void EmptyObjects_GiveNothing()
    {
        ServiceTranslation t = ServiceTranslator.Translate(new V1Service(), [new V1EndpointSlice { AddressType = "IPv4", Endpoints = [] }], NodeA, Options);

        Assert.Empty(t.Services);
        Assert.Empty(t.Problems);
    }

    [Fact]
    public void SameVirtualServerTwiceInOneService_IsKeptOnceWithAReason()
    {
        // the external IP is the node's own address and the port equals the node port
        V1Service service = Service("twice", """
            "type": "NodePort",
            "clusterIP": "10.96.0.50",
            "externalIPs": ["192.0.2.10"],
            "ports": [{"name":"http","protocol":"TCP","port":30080,"nodePort":30080}]
            """);

        ServiceTranslation t = Translate(service);

        Assert.Equal(["TCP 10.96.0.50:30080", "TCP 192.0.2.10:30080"], t.Services.Select(s => s.Service.Key.ToString()));
        Assert.Equal(["default/twice: TCP 192.0.2.10:30080 is asked for twice (a node, external or load balancer IP repeated): the first is kept"], t.Problems);
    }
}
