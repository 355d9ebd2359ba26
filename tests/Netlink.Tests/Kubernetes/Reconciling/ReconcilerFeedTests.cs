using System.Net;
using k8s.Models;
using Netlink.Tests.ServiceProxy.Reconciling;
using ServiceProxy.Kubernetes.Reconciling;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Reconciling;
using ServiceProxy.Rules;
using static Netlink.Tests.Kubernetes.Translation.Objects;

namespace Netlink.Tests.Kubernetes.Reconciling;

/// <summary>
/// Services and EndpointSlices through the desired state and the feed into a reconciler whose virtual IPs and rules
/// are the state's, on the fake IPVS kernel, addresses and rules backend of node-a (192.0.2.10 on eth0).
/// </summary>
public sealed class ReconcilerFeedTests
{
    private const string Interface = ReconcilerNode.Interface;

    /// <summary>The Kubernetes node: the reconciler, the state and the feed between them.</summary>
    private sealed class KubernetesNode : IDisposable
    {
        public KubernetesNode(ServiceRuleSet? template = null)
        {
            Node = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.SetByOwner);
            State = new KubernetesDesiredState(Options, NodeA);
            Feed = new ReconcilerFeed(State, Node.Reconciler, template ?? ReconcilerNode.RuleTemplate);
        }

        public ReconcilerNode Node { get; }

        public KubernetesDesiredState State { get; }

        public ReconcilerFeed Feed { get; }

        public ServiceRuleSet Rules => Node.RulesBackend.Installed!;

        public IReadOnlyList<string> Bound => Node.Route.AddressesOn(Interface);

        /// <summary>What ipvsd's Kubernetes mode does after a batch of events.</summary>
        public (DesiredStateChanges Changes, SyncReport Report) FeedAndSync()
        {
            DesiredStateChanges changes = Feed.TakeAndApply();
            return (changes, Node.Sync());
        }

        public void Dispose() => Node.Dispose();
    }

    private static V1Service NodePortService(string name = "shop", string clusterIp = "10.96.0.20", int nodePort = 30080) => Service(name, $$"""
        "type": "NodePort",
        "clusterIP": "{{clusterIp}}",
        "clusterIPs": ["{{clusterIp}}"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":{{nodePort}}}],
        "selector": {"app": "{{name}}"},
        "sessionAffinity": "None",
        "externalTrafficPolicy": "Cluster",
        "internalTrafficPolicy": "Cluster"
        """);

    private static V1Service LoadBalancer(string more) => Service("lb", $$"""
        "type": "LoadBalancer",
        "clusterIP": "10.96.0.30",
        "clusterIPs": ["10.96.0.30"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "allocateLoadBalancerNodePorts": true,
        "ports": [{"name":"https","protocol":"TCP","port":443,"targetPort":8443,"nodePort":31443}],
        "selector": {"app": "lb"},
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
        {{more}}
        """, status: """{"loadBalancer":{"ingress":[{"ip":"203.0.113.10","ipMode":"VIP"}]}}""");

    private static V1EndpointSlice LbPods() =>
        Slice("lb-1", "lb", $"[{Ready("10.244.1.5")},{Ready("10.244.0.3", node: Node, zone: Zone)}]", """[{"name":"https","protocol":"TCP","port":8443}]""");

    [Fact]
    public void NodePortService_IsProgrammedOnTheNodeAddress_WhichIsNeitherBoundNorAVirtualIpOfTheRules()
    {
        using var node = new KubernetesNode();
        node.State.ServiceUpserted(NodePortService());
        node.State.EndpointSliceUpserted(Slice("shop-1", "shop", $"[{Ready("10.244.1.5")}]"));

        node.FeedAndSync();

        Assert.Equal([
            "TCP 10.96.0.20:80 rr -> 10.244.1.5:8080 w1",
            "TCP 192.0.2.10:30080 rr -> 10.244.1.5:8080 w1",
        ], node.Node.Table());
        Assert.Equal(["10.96.0.20"], node.Bound);
        Assert.Equal(["192.0.2.10", "2001:db8::10"], node.Node.Route.AddressesOn("eth0"));
        Assert.Equal(["tcp 10.96.0.20:80"], node.Rules.VirtualIps.Select(v => v.ToString()));
        Assert.Equal([new NodePort(ServiceProtocol.Tcp, 30080)], node.Rules.NodePorts); // marked as a node port
        Assert.Equal(ReconcilerNode.RuleTemplate.ClusterCidrs, node.Rules.ClusterCidrs);
        Assert.Empty(node.Node.Reconciler.Differences());
    }

    [Fact]
    public void ClusterIpService_IsBound_AndAVirtualIpOfTheRules()
    {
        using var node = new KubernetesNode();
        node.State.ServiceUpserted(Service("web", ClusterIpSpec()));
        node.State.EndpointSliceUpserted(Slice("web-1", "web", $"[{Ready("10.244.1.5")}]"));

        (_, SyncReport report) = node.FeedAndSync();

        Assert.Equal(["TCP 10.96.0.10:80 rr -> 10.244.1.5:8080 w1"], node.Node.Table());
        Assert.Equal(["10.96.0.10"], node.Bound);
        Assert.Equal([IPAddress.Parse("10.96.0.10")], report.VirtualIps!.Added);
        Assert.Equal(["tcp 10.96.0.10:80"], node.Rules.VirtualIps.Select(v => v.ToString()));
        Assert.Empty(node.Rules.NodePorts);
        Assert.Equal([IPAddress.Parse("10.96.0.10")], node.Rules.RejectUnknownPortsOn); // the bound addresses: other ports on them are refused
        Assert.Empty(node.Rules.HairpinEndpoints); // 10.244.1.5 is on another node
    }

    [Fact]
    public void LocalEndpoint_ComingAndGoing_ReappliesTheRulesWithItsHairpinMasquerade()
    {
        using var node = new KubernetesNode();
        node.State.ServiceUpserted(Service("web", ClusterIpSpec()));
        node.State.EndpointSliceUpserted(Slice("web-1", "web", $"[{Ready("10.244.1.5")}]"));
        node.FeedAndSync();
        int applies = node.Node.RulesBackend.Applies;

        node.State.EndpointSliceUpserted(Slice("web-1", "web", $"[{Ready("10.244.1.5")},{Ready("10.244.0.3", node: Node, zone: Zone)}]"));
        (DesiredStateChanges changes, SyncReport report) = node.FeedAndSync();

        Assert.Equal((false, true), (changes.RulesChanged, changes.HairpinEndpointsChanged));
        Assert.True(report.RulesApplied);
        Assert.Equal(applies + 1, node.Node.RulesBackend.Applies);
        Assert.Equal(["tcp 10.244.0.3:8080"], node.Rules.HairpinEndpoints.Select(v => v.ToString()));

        node.State.EndpointSliceUpserted(Slice("web-1", "web", $"[{Ready("10.244.1.5")}]"));
        node.FeedAndSync();
        Assert.Empty(node.Rules.HairpinEndpoints);
    }

    [Fact]
    public void EndpointSliceChange_ChangesTheRealServers_AndLeavesVirtualIpsAndRulesAlone()
    {
        using var node = new KubernetesNode();
        node.State.ServiceUpserted(NodePortService());
        node.State.EndpointSliceUpserted(Slice("shop-1", "shop", $"[{Ready("10.244.1.5")}]"));
        node.FeedAndSync();
        int addressListings = node.Node.Route.AddressListings;
        (int reads, int applies) = (node.Node.RulesBackend.Reads, node.Node.RulesBackend.Applies);

        node.State.EndpointSliceUpserted(Slice("shop-1", "shop", $"[{Ready("10.244.1.5")},{Ready("10.244.2.7")}]"));
        DesiredStateChanges changes = node.Feed.TakeAndApply();
        Assert.Equal((false, false), (changes.VirtualIpsChanged, changes.RulesChanged));
        Assert.False(node.Node.Reconciler.VirtualIpsOrRulesPending);
        Assert.True(node.Node.Reconciler.HasPendingChanges); // the two virtual servers' real servers
        SyncReport report = node.Node.Sync();

        Assert.Null(report.VirtualIps);
        Assert.False(report.RulesApplied);
        Assert.Equal(addressListings, node.Node.Route.AddressListings);
        Assert.Equal((reads, applies), (node.Node.RulesBackend.Reads, node.Node.RulesBackend.Applies));
        Assert.Equal([
            "TCP 10.96.0.20:80 rr -> 10.244.1.5:8080 w1, 10.244.2.7:8080 w1",
            "TCP 192.0.2.10:30080 rr -> 10.244.1.5:8080 w1, 10.244.2.7:8080 w1",
        ], node.Node.Table());
    }

    [Fact]
    public void DeletedService_UnbindsItsClusterIp_AndLeavesTheRulesOfTheOthers()
    {
        using var node = new KubernetesNode();
        node.State.ServiceUpserted(Service("web", ClusterIpSpec()));
        node.State.ServiceUpserted(NodePortService());
        node.FeedAndSync();
        Assert.Equal(["10.96.0.10", "10.96.0.20"], node.Bound);

        node.State.ServiceDeleted(new ServiceName("default", "shop"));
        (DesiredStateChanges changes, SyncReport report) = node.FeedAndSync();

        Assert.Equal(2, changes.Removed.Count);
        Assert.Equal([IPAddress.Parse("10.96.0.20")], report.VirtualIps!.Removed);
        Assert.Equal(["10.96.0.10"], node.Bound);
        Assert.Equal(["tcp 10.96.0.10:80"], node.Rules.VirtualIps.Select(v => v.ToString()));
        Assert.Empty(node.Rules.NodePorts);
        Assert.Equal(["TCP 10.96.0.10:80 rr -> "], node.Node.Table());
        Assert.Equal(["192.0.2.10", "2001:db8::10"], node.Node.Route.AddressesOn("eth0"));
    }

    [Fact]
    public void ExternalTrafficPolicyLocal_IsServedAndBound_ButNeverMarkedForMasquerade()
    {
        using var node = new KubernetesNode();
        node.State.ServiceUpserted(LoadBalancer(""" "externalTrafficPolicy":"Local","healthCheckNodePort":32000 """));
        node.State.EndpointSliceUpserted(LbPods());

        node.FeedAndSync();

        Assert.Equal(["TCP 10.96.0.30:443", "TCP 192.0.2.10:31443", "TCP 203.0.113.10:443"],
            node.Node.Table().Select(line => line[..line.IndexOf(" rr", StringComparison.Ordinal)]));
        Assert.Equal(["10.96.0.30", "203.0.113.10"], node.Bound);
        Assert.Equal(["tcp 10.96.0.30:443"], node.Rules.VirtualIps.Select(v => v.ToString()));
        Assert.Equal(["tcp 203.0.113.10:443"], node.Rules.UnmarkedVirtualIps.Select(v => v.ToString())); // the client address is kept
        Assert.Empty(node.Rules.ExternalVirtualIps);
        Assert.Empty(node.Rules.NodePorts);
        Assert.Equal(["10.96.0.30", "203.0.113.10"], node.Rules.RejectUnknownPortsOn.Select(a => a.ToString()));
        Assert.Equal(["tcp 10.244.0.3:8443"], node.Rules.HairpinEndpoints.Select(v => v.ToString())); // the endpoint on this node
    }

    [Fact]
    public void LoadBalancerIp_IsMarkedFromEverySource_AndItsSourceRangesAreEnforced_UntilTheServiceDropsThem()
    {
        using var node = new KubernetesNode();
        node.State.ServiceUpserted(LoadBalancer(""" "externalTrafficPolicy":"Cluster","loadBalancerSourceRanges":["10.0.0.0/8"] """));
        node.FeedAndSync();
        Assert.Equal("tcp 203.0.113.10:443 from [10.0.0.0/8]", Assert.Single(node.Rules.SourceRanges).ToString()); // node-a (192.0.2.10) is outside
        Assert.Equal(["tcp 203.0.113.10:443"], node.Rules.ExternalVirtualIps.Select(v => v.ToString()));
        Assert.Equal(["tcp 10.96.0.30:443"], node.Rules.VirtualIps.Select(v => v.ToString()));

        node.State.ServiceUpserted(LoadBalancer(""" "externalTrafficPolicy":"Cluster","loadBalancerSourceRanges":["10.0.0.0/8","192.0.2.0/24"] """));
        node.FeedAndSync();
        Assert.Equal("tcp 203.0.113.10:443 from [10.0.0.0/8, 192.0.2.0/24, 203.0.113.10/32]", Assert.Single(node.Rules.SourceRanges).ToString()); // the node is let through

        node.State.ServiceUpserted(LoadBalancer(""" "externalTrafficPolicy":"Cluster" """));
        node.FeedAndSync();
        Assert.Empty(node.Rules.SourceRanges);
    }

    [Fact]
    public void FirstFeed_GivesTheStatesRules_EvenWhenNoServiceChangedThem()
    {
        ServiceRuleSet masqueradeAll = new() { MasqueradeAll = true, MasqueradeMark = 0x8000 };
        using var node = new KubernetesNode(masqueradeAll);

        (DesiredStateChanges changes, _) = node.FeedAndSync();

        Assert.True(changes.IsEmpty);
        Assert.Equal(masqueradeAll, node.Rules); // the feed's template, not the reconciler's
        Assert.Empty(node.Bound);
    }

    [Fact]
    public void Feed_RefusesAReconcilerThatTakesItsAddressesFromItsServices()
    {
        using var node = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.FromServiceAddresses);
        var state = new KubernetesDesiredState(Options, NodeA);

        ArgumentException e = Assert.Throws<ArgumentException>(() => new ReconcilerFeed(state, node.Reconciler, ReconcilerNode.RuleTemplate));
        Assert.Contains("SetByOwner", e.Message, StringComparison.Ordinal);
    }
}
