using k8s.Models;
using Netlink.Ipvs;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Planning;
using static Netlink.Tests.Kubernetes.Translation.Objects;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>The desired state kept a Service at a time: what each event changes, conflicts, and the cost of one change among many.</summary>
public sealed class KubernetesDesiredStateTests
{
    private static KubernetesDesiredState NewState() => new(Options, NodeA);

    private static V1Service Web(string clusterIp = "10.96.0.10", string name = "web", string created = "2026-03-01T10:00:00Z", string more = "") =>
        Service(name, ClusterIpSpec(more).Replace("10.96.0.10", clusterIp, StringComparison.Ordinal), created: created);

    private static V1EndpointSlice WebSlice(string service = "web", string name = "web-1", params string[] pods) =>
        Slice(name, service, "[" + string.Join(",", pods.Select(p => Ready(p))) + "]");

    [Fact]
    public void ServiceThenSlice_ReportTheVirtualServerThenItsRealServers()
    {
        KubernetesDesiredState state = NewState();

        state.ServiceUpserted(Web());
        DesiredStateChanges added = state.TakeChanges();
        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5", "10.244.2.7"]));
        DesiredStateChanges endpoints = state.TakeChanges();

        Assert.Equal("TCP 10.96.0.10:80 rr", Render(added.Changed));
        Assert.True(added.VirtualIpsChanged);
        Assert.True(added.RulesChanged);
        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.1.5:8080
              -> 10.244.2.7:8080
            """), Render(endpoints.Changed));
        Assert.Empty(endpoints.Removed);
        Assert.False(endpoints.VirtualIpsChanged);
        Assert.False(endpoints.RulesChanged);
        Assert.Equal("10.96.0.10", Render(state.VirtualIps));
        Assert.Equal("ClusterIp tcp 10.96.0.10:80", Render(state.Rules));
    }

    [Fact]
    public void SliceBeforeItsService_IsUsedWhenTheServiceArrives()
    {
        KubernetesDesiredState state = NewState();

        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5"]));
        Assert.True(state.TakeChanges().IsEmpty);
        state.ServiceUpserted(Web());

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.1.5:8080
            """), Render(state.TakeChanges().Changed));
    }

    [Fact]
    public void TheSameObjectsAgain_ChangeNothing()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5"]));
        state.TakeChanges();

        state.ServiceUpserted(Web());
        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5"]));

        Assert.False(state.HasChanges);
        Assert.Same(DesiredStateChanges.None, state.TakeChanges());
    }

    [Fact]
    public void ChangesThatCancelOut_AreNotReported()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5"]));
        state.TakeChanges();

        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5", "10.244.1.6"]));
        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5"]));

        Assert.Empty(state.TakeChanges().Changed);
    }

    [Fact]
    public void ServiceDeleted_RemovesItsVirtualServersAndAddresses()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.ServiceUpserted(Web("10.96.0.11", "api"));
        state.TakeChanges();

        state.ServiceDeleted(Web());
        DesiredStateChanges changes = state.TakeChanges();

        Assert.Equal("TCP 10.96.0.10:80", Assert.Single(changes.Removed).ToString());
        Assert.Empty(changes.Changed);
        Assert.True(changes.VirtualIpsChanged);
        Assert.Equal("10.96.0.11", Render(state.VirtualIps));
        Assert.Null(state.TranslationOf(new ServiceName("default", "web")));
        Assert.Equal(1, state.ServiceCount);
    }

    [Fact]
    public void NewLists_DeleteWhatTheyLack_AndReportOnlyWhatChanged()
    {
        KubernetesDesiredState state = NewState();
        state.ServicesListed([Web(), Web("10.96.0.11", "api")]);
        state.EndpointSlicesListed([WebSlice(pods: ["10.244.1.5"]), WebSlice("api", "api-1", "10.244.3.3")]);
        Assert.Equal(2, state.TakeChanges().Changed.Count);

        // after 410 Gone: "api" and its slice were deleted while the watch was down, web's slice changed
        state.ServicesListed([Web()]);
        state.EndpointSlicesListed([WebSlice(pods: ["10.244.1.6"])]);
        DesiredStateChanges changes = state.TakeChanges();

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.1.6:8080
            """), Render(changes.Changed));
        Assert.Equal("TCP 10.96.0.11:80", Assert.Single(changes.Removed).ToString());
    }

    [Fact]
    public void SliceDeleted_LeavesTheVirtualServerWithoutRealServers()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5"]));
        state.EndpointSliceUpserted(WebSlice(name: "web-2", pods: ["10.244.1.6"]));
        state.TakeChanges();

        state.EndpointSliceDeleted("default", "web-1");

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.1.6:8080
            """), Render(state.TakeChanges().Changed));
        state.EndpointSliceDeleted(WebSlice(name: "web-2"));
        Assert.Equal("TCP 10.96.0.10:80 rr", Render(state.TakeChanges().Changed));
    }

    [Fact]
    public void SliceRelabelledToAnotherService_MovesItsEndpoints()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.ServiceUpserted(Web("10.96.0.11", "api"));
        state.EndpointSliceUpserted(WebSlice("web", "shared-1", "10.244.1.5"));
        state.TakeChanges();

        state.EndpointSliceUpserted(WebSlice("api", "shared-1", "10.244.1.5"));

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
            TCP 10.96.0.11:80 rr
              -> 10.244.1.5:8080
            """), Render(state.TakeChanges().Changed.OrderBy(s => s.Service.Key.ToString(), StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TwoServicesAskingForOneVirtualServer_TheOlderHasItWhateverTheOrder(bool olderFirst)
    {
        // both claim external IP 198.51.100.7:80; "young" was created a day later
        V1Service old = Web("10.96.0.10", "zz-old", "2026-03-01T10:00:00Z", "\"externalIPs\": [\"198.51.100.7\"]");
        V1Service young = Web("10.96.0.11", "aa-young", "2026-03-02T10:00:00Z", "\"externalIPs\": [\"198.51.100.7\"]");
        KubernetesDesiredState state = NewState();
        state.EndpointSliceUpserted(WebSlice("zz-old", "old-1", "10.244.1.1"));
        state.EndpointSliceUpserted(WebSlice("aa-young", "young-1", "10.244.2.2"));

        foreach (V1Service service in olderFirst ? new[] { old, young } : [young, old])
        {
            state.ServiceUpserted(service);
        }
        DesiredStateChanges changes = state.TakeChanges();

        var external = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, System.Net.IPAddress.Parse("198.51.100.7"), 80);
        Assert.Equal("10.244.1.1:8080", Assert.Single(changes.Changed.Single(s => s.Service.Key == external).RealServers).Endpoint);
        ServiceConflict conflict = Assert.Single(changes.Conflicts);
        Assert.Equal(new ServiceConflict(external, new ServiceName("default", "zz-old"), [new ServiceName("default", "aa-young")]), conflict);
        Assert.Equal([conflict], state.Conflicts);

        state.ServiceDeleted(old);
        DesiredStateChanges takeover = state.TakeChanges();
        Assert.Equal("10.244.2.2:8080", Assert.Single(takeover.Changed.Single(s => s.Service.Key == external).RealServers).Endpoint);
        Assert.DoesNotContain(external, takeover.Removed);
        Assert.Empty(takeover.Conflicts);
    }

    [Fact]
    public void ServiceThatStopsBeingThisProxys_IsRemoved()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.TakeChanges();

        state.ServiceUpserted(Service("web", ClusterIpSpec(), labels: """{"service.kubernetes.io/service-proxy-name":"cilium"}"""));

        Assert.Equal("TCP 10.96.0.10:80", Assert.Single(state.TakeChanges().Removed).ToString());
        Assert.Equal(0, state.ServiceCount);
    }

    [Fact]
    public void NodeChanged_ReportsOnlyTheVirtualServersItChanges()
    {
        string hinted = string.Join(",",
            Endpoint("10.244.1.1", """{"ready":true}""", hints: """{"forZones":[{"name":"zone-a"}]}"""),
            Endpoint("10.244.1.2", """{"ready":true}""", hints: """{"forZones":[{"name":"zone-b"}]}"""));
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.EndpointSliceUpserted(Slice("web-1", "web", $"[{hinted}]"));
        state.ServiceUpserted(Web("10.96.0.11", "api"));
        state.EndpointSliceUpserted(WebSlice("api", "api-1", "10.244.3.3"));
        state.TakeChanges();

        state.NodeChanged(new ProxyNode(Node, Zone, NodeA.NodeAddresses, NodeA.NodePortAddresses));
        Assert.False(state.HasChanges);
        state.NodeChanged(new ProxyNode(Node, "zone-b", NodeA.NodeAddresses, NodeA.NodePortAddresses));

        Assert.Equal(Lines("""
            TCP 10.96.0.10:80 rr
              -> 10.244.1.2:8080
            """), Render(state.TakeChanges().Changed));
    }

    [Fact]
    public void NodeAddressAdded_AddsNodePortVirtualServersOnly()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.ServiceUpserted(Service("shop", """
            "type": "NodePort",
            "clusterIP": "10.96.0.20",
            "ports": [{"name":"http","protocol":"TCP","port":80,"nodePort":30080}]
            """));
        state.TakeChanges();

        System.Net.IPAddress[] addresses = [.. NodeA.NodeAddresses, System.Net.IPAddress.Parse("198.18.5.1")];
        state.NodeChanged(new ProxyNode(Node, Zone, addresses, addresses));
        DesiredStateChanges changes = state.TakeChanges();

        Assert.Equal("TCP 198.18.5.1:30080 rr", Render(changes.Changed));
        Assert.Empty(changes.Removed);
        Assert.False(changes.VirtualIpsChanged); // node addresses are never bound
    }

    [Fact]
    public void HealthCheckNodePort_FollowsTheCountOfLocalEndpoints()
    {
        V1Service lb = Service("lb", """
            "type": "LoadBalancer",
            "clusterIP": "10.96.0.30",
            "ports": [{"name":"http","protocol":"TCP","port":80,"nodePort":30080}],
            "externalTrafficPolicy": "Local",
            "healthCheckNodePort": 32000
            """, status: """{"loadBalancer":{"ingress":[{"ip":"203.0.113.10","ipMode":"VIP"}]}}""");
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(lb);
        var name = new ServiceName("default", "lb");
        Assert.Equal([new HealthCheckNodePortChange(name, new HealthCheckNodePort(32000, 0))], state.TakeChanges().HealthCheckNodePorts);

        state.EndpointSliceUpserted(Slice("lb-1", "lb", $"[{Ready("10.244.0.3", node: Node)},{Ready("10.244.1.5")}]", """[{"name":"http","protocol":"TCP","port":8080}]"""));
        Assert.Equal([new HealthCheckNodePortChange(name, new HealthCheckNodePort(32000, 1))], state.TakeChanges().HealthCheckNodePorts);
        Assert.Equal(new HealthCheckNodePort(32000, 1), state.HealthCheckNodePorts[name]);

        state.ServiceDeleted(name);
        Assert.Equal([new HealthCheckNodePortChange(name, null)], state.TakeChanges().HealthCheckNodePorts);
    }

    [Fact]
    public void LocalEndpointChanges_ChangeTheHairpinEndpoints_RemoteOnesDoNot()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web());
        state.EndpointSliceUpserted(Slice("web-1", "web", $"[{Ready("10.244.1.5")}]"));
        state.TakeChanges();

        state.EndpointSliceUpserted(Slice("web-1", "web", $"[{Ready("10.244.1.5")},{Ready("10.244.1.6")}]"));
        Assert.False(state.TakeChanges().HairpinEndpointsChanged);
        state.EndpointSliceUpserted(Slice("web-1", "web", $"[{Ready("10.244.1.5")},{Ready("10.244.0.3", node: Node)}]"));
        DesiredStateChanges local = state.TakeChanges();

        Assert.True(local.HairpinEndpointsChanged);
        Assert.False(local.RulesChanged);
        Assert.Equal("tcp 10.244.0.3:8080", string.Join(" ", state.HairpinEndpoints));
    }

    [Fact]
    public void Problems_AreReportedOnceUntilTheyChange()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web(more: "\"externalIPs\": [\"198.51.100.300\"]"));
        Assert.Equal(["default/web: externalIPs[0] '198.51.100.300' is not an IP address: skipped"], state.TakeChanges().Problems);

        state.EndpointSliceUpserted(WebSlice(pods: ["10.244.1.5"]));

        Assert.Empty(state.TakeChanges().Problems);
    }

    [Fact]
    public void ToTable_HoldsEveryVirtualServerOnce()
    {
        KubernetesDesiredState state = NewState();
        state.ServiceUpserted(Web(more: "\"externalIPs\": [\"198.51.100.7\"]"));
        state.ServiceUpserted(Web("10.96.0.11", "api", "2026-03-02T10:00:00Z", "\"externalIPs\": [\"198.51.100.7\"]"));

        DesiredServiceTable table = state.ToTable();

        Assert.Equal(["TCP 10.96.0.10:80", "TCP 10.96.0.11:80", "TCP 198.51.100.7:80"], table.Services.Select(s => s.Service.Key.ToString()));
        Assert.Equal("TCP 198.51.100.7:80 rr", Render(state.Find(table.Services[2].Service.Key)!));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10_000)]
    public void OneSliceChange_AmongManyServices_ChangesOnlyThatServicesVirtualServer(int services)
    {
        KubernetesDesiredState state = NewState();
        for (int i = 0; i < services; i++)
        {
            state.ServiceUpserted(FleetService(i));
            state.EndpointSliceUpserted(FleetSlice(i, 10));
        }
        DesiredStateChanges first = state.TakeChanges();
        Assert.Equal(services, first.Changed.Count);
        Assert.All(first.Changed, s => Assert.Equal(10, s.RealServers.Count));

        int one = services / 2;
        state.EndpointSliceUpserted(FleetSlice(one, 9)); // one pod gone
        DesiredStateChanges change = state.TakeChanges();

        DesiredService changed = Assert.Single(change.Changed);
        Assert.Equal(FleetService(one).Spec.ClusterIP, changed.Service.Key.Address!.ToString());
        Assert.Equal(9, changed.RealServers.Count);
        Assert.Empty(change.Removed);
        Assert.False(change.VirtualIpsChanged);
        Assert.False(change.RulesChanged);
        Assert.False(change.HairpinEndpointsChanged);
        Assert.Empty(change.HealthCheckNodePorts);
    }

    // Built directly rather than from JSON (the other tests read JSON in the API's shapes): 20,000 objects cost little.
    private static V1Service FleetService(int i)
    {
        string clusterIp = $"10.96.{i / 250}.{(i % 250) + 1}";
        return new V1Service
        {
            Metadata = new V1ObjectMeta { Name = $"svc-{i}", NamespaceProperty = "default", CreationTimestamp = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc) },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = clusterIp,
                ClusterIPs = [clusterIp],
                Ports = [new V1ServicePort { Name = "http", Protocol = "TCP", Port = 80 }],
            },
        };
    }

    private static V1EndpointSlice FleetSlice(int i, int pods) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"svc-{i}-abcde",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = $"svc-{i}" },
        },
        AddressType = "IPv4",
        Endpoints = [.. Enumerable.Range(1, pods).Select(p => new V1Endpoint
        {
            Addresses = [$"10.{128 + (i / 256)}.{i % 256}.{p}"],
            Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false },
            NodeName = "node-b",
        })],
        Ports = [new Discoveryv1EndpointPort { Name = "http", Protocol = "TCP", Port = 8080 }],
    };
}
