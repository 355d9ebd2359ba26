using System.Net;
using k8s.Models;
using Netlink.Tests.ServiceProxy.Reconciling;
using ServiceProxy.Kubernetes.Reconciling;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Kubernetes.Watching;
using ServiceProxy.Reconciling;
using static Netlink.Tests.Kubernetes.Translation.Objects;

namespace Netlink.Tests.Kubernetes.Reconciling;

/// <summary>
/// The informers' handlers, on their own threads, and the sync thread's take, meeting in one desired state: what
/// ipvsd's Kubernetes mode runs, on the fake kernel of a node with 192.0.2.10 on eth0.
/// </summary>
public sealed class KubernetesStateUpdatesTests
{
    private static readonly LocalAddress[] Eth0 = [new("lo", IPAddress.Loopback), new("eth0", IPAddress.Parse("192.0.2.10"))];

    private static V1Service NodePortService() => Service("web", """
        "type": "NodePort",
        "clusterIP": "10.96.0.10",
        "clusterIPs": ["10.96.0.10"],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": [{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],
        "externalTrafficPolicy": "Cluster",
        "internalTrafficPolicy": "Cluster"
        """);

    private sealed class Node : IDisposable
    {
        private int _wakes;

        public Node()
        {
            Kernel = new ReconcilerNode(virtualIpsAndRules: VirtualIpsAndRulesSource.SetByOwner);
            Updates = new KubernetesStateUpdates(Options, Eth0, ReconcilerNode.Interface, () => Interlocked.Increment(ref _wakes));
            Feed = new ReconcilerFeed(Updates.State, Kernel.Reconciler, ReconcilerNode.RuleTemplate);
        }

        public ReconcilerNode Kernel { get; }

        public KubernetesStateUpdates Updates { get; }

        public ReconcilerFeed Feed { get; }

        public int Wakes => Volatile.Read(ref _wakes);

        public DesiredStateChanges TakeAndSync()
        {
            DesiredStateChanges changes = Updates.TakeAndApply(Feed);
            Kernel.Sync();
            return changes;
        }

        public void Dispose() => Kernel.Dispose();
    }

    [Fact]
    public async Task Events_FromInformerThreads_ReachTheKernelAtTheNextTake()
    {
        using var node = new Node();
        KubernetesSourceHandlers handlers = node.Updates.Handlers;
        V1EndpointSlice first = Slice("web-1", "web", $"[{Ready("10.244.1.5")},{Ready("10.244.2.7")}]");
        await Task.Run(() =>
        {
            handlers.Services.OnAdded(Service("web", ClusterIpSpec()));
            handlers.EndpointSlices.OnAdded(first);
            handlers.Services.OnListed();
            handlers.EndpointSlices.OnListed();
        }, TestContext.Current.CancellationToken);

        Assert.Equal(2, node.Wakes);
        Assert.True(node.Updates.HasChanges);
        node.TakeAndSync();
        Assert.False(node.Updates.HasChanges);
        Assert.Equal(["TCP 10.96.0.10:80 rr -> 10.244.1.5:8080 w1, 10.244.2.7:8080 w1"], node.Kernel.Table());
        Assert.Equal(["10.96.0.10"], node.Kernel.Route.AddressesOn(ReconcilerNode.Interface));

        await Task.Run(() => handlers.EndpointSlices.OnUpdated(first, Slice("web-1", "web", $"[{Ready("10.244.1.5")},{Ready("10.244.3.9")}]")),
            TestContext.Current.CancellationToken);
        DesiredStateChanges changes = node.TakeAndSync();

        Assert.Single(changes.Changed);
        Assert.False(changes.VirtualIpsChanged);
        Assert.Equal(["TCP 10.96.0.10:80 rr -> 10.244.1.5:8080 w1, 10.244.3.9:8080 w1"], node.Kernel.Table()); // no connections: nothing to drain

        handlers.Services.OnDeleted(Service("web", ClusterIpSpec()));
        node.TakeAndSync();
        Assert.Empty(node.Kernel.Table());
        Assert.Empty(node.Kernel.Route.AddressesOn(ReconcilerNode.Interface));
    }

    [Fact]
    public void NewNodeAddress_GetsTheNodePorts_AndAnUnchangedOneCostsNothing()
    {
        using var node = new Node();
        node.Updates.Handlers.Services.OnAdded(NodePortService());
        node.Updates.Handlers.EndpointSlices.OnAdded(Slice("web-1", "web", $"[{Ready("10.244.1.5")}]"));
        node.TakeAndSync();
        Assert.Equal(
        [
            "TCP 10.96.0.10:80 rr -> 10.244.1.5:8080 w1",
            "TCP 192.0.2.10:30080 rr -> 10.244.1.5:8080 w1",
        ], node.Kernel.Table());

        Assert.False(node.Updates.SetLocalAddresses(Eth0));
        Assert.False(node.Updates.HasChanges);

        Assert.True(node.Updates.SetLocalAddresses([.. Eth0, new LocalAddress("eth1", IPAddress.Parse("192.0.2.20")), new LocalAddress(ReconcilerNode.Interface, IPAddress.Parse("10.96.0.10"))]));
        node.TakeAndSync();

        Assert.Equal(
        [
            "TCP 10.96.0.10:80 rr -> 10.244.1.5:8080 w1",
            "TCP 192.0.2.10:30080 rr -> 10.244.1.5:8080 w1",
            "TCP 192.0.2.20:30080 rr -> 10.244.1.5:8080 w1",
        ], node.Kernel.Table());
        Assert.Equal(["10.96.0.10"], node.Kernel.Route.AddressesOn(ReconcilerNode.Interface));
    }

    [Fact]
    public void TheNodeObject_GivesTheZone()
    {
        using var node = new Node();
        var v1Node = new V1Node { Metadata = new V1ObjectMeta { Name = Options.NodeName, Labels = new Dictionary<string, string> { [ProxyNode.ZoneLabel] = "zone-q" } } };
        node.Updates.Handlers.Node.OnAdded(v1Node);
        Assert.Equal("zone-q", node.Updates.Read(s => s.Node.Zone));
        node.Updates.Handlers.Node.OnDeleted(v1Node);
        Assert.Null(node.Updates.Read(s => s.Node.Zone));
    }

    [Fact]
    public void AFeedOfAnotherState_IsRefused()
    {
        using var node = new Node();
        var other = new KubernetesStateUpdates(Options, Eth0, ReconcilerNode.Interface);
        Assert.Throws<ArgumentException>(() => other.TakeAndApply(node.Feed));
    }
}
