using k8s.Models;
using Netlink.Ipvs;
using ServiceProxy.Kubernetes.Translation;
using static Netlink.Tests.Kubernetes.Translation.Objects;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>Cluster IPs: the virtual server, its real servers, the address to bind, the rule; what gets nothing.</summary>
public sealed class ClusterIpTranslationTests
{
    // The seed's Service as `kubectl get service web -o json` prints it, and its EndpointSlice with three ready pods.
    private const string WebService = """
        {
          "apiVersion": "v1",
          "kind": "Service",
          "metadata": {
            "annotations": {
              "kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.97.97.97\",\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":8080}],\"selector\":{\"app\":\"web\"}}}\n"
            },
            "creationTimestamp": "2026-03-01T10:00:00Z",
            "name": "web",
            "namespace": "default",
            "resourceVersion": "1234",
            "uid": "3c7e4a57-2f0d-4c4b-9d53-8d2b1f6e0a11"
          },
          "spec": {
            "clusterIP": "10.97.97.97",
            "clusterIPs": ["10.97.97.97"],
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
            "selector": {"app": "web"},
            "sessionAffinity": "None",
            "type": "ClusterIP"
          },
          "status": {"loadBalancer": {}}
        }
        """;

    private const string WebSlice = """
        {
          "addressType": "IPv4",
          "apiVersion": "discovery.k8s.io/v1",
          "endpoints": [
            {
              "addresses": ["10.244.1.5"],
              "conditions": {"ready": true, "serving": true, "terminating": false},
              "nodeName": "node-b",
              "targetRef": {"kind": "Pod", "name": "web-7d4b9c8f6d-2xk8p", "namespace": "default", "uid": "a1b2c3d4-0000-4000-8000-000000000001"},
              "zone": "zone-b"
            },
            {
              "addresses": ["10.244.2.7"],
              "conditions": {"ready": true, "serving": true, "terminating": false},
              "nodeName": "node-c",
              "targetRef": {"kind": "Pod", "name": "web-7d4b9c8f6d-9qz4m", "namespace": "default", "uid": "a1b2c3d4-0000-4000-8000-000000000002"},
              "zone": "zone-c"
            },
            {
              "addresses": ["10.244.0.3"],
              "conditions": {"ready": true, "serving": true, "terminating": false},
              "nodeName": "node-a",
              "targetRef": {"kind": "Pod", "name": "web-7d4b9c8f6d-r7t2w", "namespace": "default", "uid": "a1b2c3d4-0000-4000-8000-000000000003"},
              "zone": "zone-a"
            }
          ],
          "kind": "EndpointSlice",
          "metadata": {
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2026-03-01T10:00:05Z"},
            "creationTimestamp": "2026-03-01T10:00:01Z",
            "generateName": "web-",
            "generation": 3,
            "labels": {
              "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
              "kubernetes.io/service-name": "web"
            },
            "name": "web-x7k2p",
            "namespace": "default",
            "ownerReferences": [{"apiVersion": "v1", "blockOwnerDeletion": true, "controller": true, "kind": "Service", "name": "web", "uid": "3c7e4a57-2f0d-4c4b-9d53-8d2b1f6e0a11"}],
            "resourceVersion": "1240",
            "uid": "9e8d7c6b-5a49-4838-a726-150f4e3d2c1b"
          },
          "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]
        }
        """;

    [Fact]
    public void TheSeedService_IsOneVirtualServerOverItsThreePods()
    {
        ServiceTranslation t = Translate(Service(WebService), Slice(WebSlice));

        Assert.Equal(new ServiceName("default", "web"), t.Service);
        Assert.Equal(Lines("""
            TCP 10.97.97.97:80 rr
              -> 10.244.0.3:8080
              -> 10.244.1.5:8080
              -> 10.244.2.7:8080
            """), Render(t.Services));
        Assert.Equal("10.97.97.97", Render(t.VirtualIps));
        Assert.Equal("ClusterIp tcp 10.97.97.97:80", Render(t.Rules));
        Assert.Equal("tcp 10.244.0.3:8080", string.Join(" ", t.HairpinEndpoints)); // the pod on this node, which may reach itself
        Assert.Null(t.HealthCheck);
        Assert.Empty(t.Problems);
    }

    [Fact]
    public void RealServers_MasqueradeWithWeightOne()
    {
        ServiceTranslation t = Translate(Service(WebService), Slice(WebSlice));

        Assert.All(Assert.Single(t.Services).RealServers, r =>
        {
            Assert.Equal(ForwardingMethod.Masquerade, r.Forwarding);
            Assert.Equal(1, r.Weight);
        });
    }

    [Fact]
    public void SliceOrder_DoesNotChangeTheResult()
    {
        V1Service web = Service("web", ClusterIpSpec());
        V1EndpointSlice a = Slice("web-a", "web", $"[{Ready("10.244.1.9")}]");
        V1EndpointSlice b = Slice("web-b", "web", $"[{Ready("10.244.1.1")}]");

        Assert.Equal(Translate(web, a, b), Translate(web, b, a));
    }

    [Theory]
    [InlineData("headless (clusterIP None)", "\"type\":\"ClusterIP\",\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"],\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":80}]")]
    [InlineData("no cluster IP", "\"type\":\"ClusterIP\",\"clusterIP\":\"\",\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":80}]")]
    [InlineData("ExternalName", "\"type\":\"ExternalName\",\"externalName\":\"db.example.com\",\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":80}]")]
    public void HeadlessAndExternalNameServices_AskForNothing(string what, string spec)
    {
        ServiceTranslation t = Translate(Service("other", spec), Slice("other-1", "other", $"[{Ready("10.244.1.5")}]"));

        Assert.True(t.Services.Count == 0, what);
        Assert.Empty(t.VirtualIps);
        Assert.True(t.Rules.IsEmpty);
        Assert.Empty(t.Problems);
    }

    [Fact]
    public void ServiceWithNoEndpoints_StillHasItsVirtualServer()
    {
        ServiceTranslation t = Translate(Service("web", ClusterIpSpec()));

        Assert.Equal("TCP 10.96.0.10:80 rr", Render(t.Services));
        Assert.Equal("10.96.0.10", Render(t.VirtualIps));
    }

    [Fact]
    public void EachPort_IsItsOwnVirtualServer_WithTheEndpointsOfTheSameNameAndProtocol()
    {
        V1Service dns = Service("dns", ClusterIpSpec(ports: """
            [{"name":"dns","protocol":"UDP","port":53,"targetPort":53},
             {"name":"dns-tcp","protocol":"TCP","port":53,"targetPort":53},
             {"name":"sig","protocol":"SCTP","port":5060,"targetPort":5060}]
            """));
        V1EndpointSlice slice = Slice("dns-1", "dns", $"[{Ready("10.244.1.5")}]", """
            [{"name":"dns","protocol":"UDP","port":5353},
             {"name":"dns-tcp","protocol":"TCP","port":5354},
             {"name":"dns","protocol":"TCP","port":9999},
             {"name":"sig","protocol":"SCTP","port":5061}]
            """);

        ServiceTranslation t = Translate(dns, slice);

        Assert.Equal(Lines("""
            UDP 10.96.0.10:53 rr
              -> 10.244.1.5:5353
            TCP 10.96.0.10:53 rr
              -> 10.244.1.5:5354
            SCTP 10.96.0.10:5060 rr
              -> 10.244.1.5:5061
            """), Render(t.Services));
        Assert.Equal(Lines("""
            ClusterIp udp 10.96.0.10:53
            ClusterIp tcp 10.96.0.10:53
            ClusterIp sctp 10.96.0.10:5060
            """), Render(t.Rules));
    }

    [Fact]
    public void UnnamedPort_MatchesTheUnnamedSlicePort()
    {
        V1Service web = Service("web", ClusterIpSpec(ports: """[{"protocol":"TCP","port":80,"targetPort":8080}]"""));
        V1EndpointSlice slice = Slice("web-1", "web", $"[{Ready("10.244.1.5")}]", """[{"name":"","protocol":"TCP","port":8080}]""");

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.1.5:8080
            """), Render(Translate(web, slice).Services));
    }

    [Fact]
    public void SchedulerComesFromTheOptions_AndMhHashesTheSourcePortToo()
    {
        V1Service web = Service("web", ClusterIpSpec());

        Assert.Equal("TCP 10.96.0.10:80 wlc", Render(Translate(web, NodeA, Options with { Scheduler = "wlc" }).Services));
        DesiredServiceOf(Translate(web, NodeA, Options with { Scheduler = "mh" }), out VirtualService mh);
        Assert.Equal("mh", mh.Scheduler);
        Assert.Equal(ServiceFlags.MaglevHashPort, mh.Flags); // IP_VS_SVC_F_SCHED2 (0x10), kube-proxy's FlagSourceHash
    }

    [Fact]
    public void ServiceOfAnotherProxy_AsksForNothing_ButItsOwnProxyServesIt()
    {
        V1Service theirs = Service("web", ClusterIpSpec(), labels: """{"service.kubernetes.io/service-proxy-name":"ipvsd"}""");

        Assert.Empty(Translate(theirs).Services);
        Assert.Single(Translate(theirs, NodeA, Options with { ServiceProxyName = "ipvsd" }).Services);
    }

    private static void DesiredServiceOf(ServiceTranslation t, out VirtualService service) => service = Assert.Single(t.Services).Service;
}
