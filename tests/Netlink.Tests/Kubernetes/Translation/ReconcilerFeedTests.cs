using Netlink.Tests.ServiceProxy.Reconciling;
using ServiceProxy.Kubernetes.Translation;
using static Netlink.Tests.Kubernetes.Translation.Objects;

namespace Netlink.Tests.Kubernetes.Translation;

/// <summary>The changes taken from the desired state drive the reconciler over the fake IPVS kernel as they are.</summary>
public sealed class ReconcilerFeedTests
{
    [Fact]
    public void TakenChanges_KeepTheKernelEqualToTheServices()
    {
        using var node = new ReconcilerNode();
        var state = new KubernetesDesiredState(Options, NodeA);
        void Feed()
        {
            DesiredStateChanges changes = state.TakeChanges();
            node.Reconciler.SetDesired(changes.Changed, changes.Removed);
            node.Sync();
        }

        state.ServiceUpserted(Service("web", ClusterIpSpec()));
        state.EndpointSliceUpserted(Slice("web-1", "web", $"[{Ready("10.244.1.5")},{Ready("10.244.2.7")}]"));
        state.ServiceUpserted(Service("dns", ClusterIpSpec(ports: """[{"name":"dns","protocol":"UDP","port":53}]""").Replace("10.96.0.10", "10.96.0.53", StringComparison.Ordinal)));
        state.EndpointSliceUpserted(Slice("dns-1", "dns", $"[{Ready("10.244.3.3")}]", """[{"name":"dns","protocol":"UDP","port":53}]"""));
        Feed();
        Assert.Equal([
            "TCP 10.96.0.10:80 rr -> 10.244.1.5:8080 w1, 10.244.2.7:8080 w1",
            "UDP 10.96.0.53:53 rr -> 10.244.3.3:53 w1",
        ], node.Table());

        state.EndpointSliceUpserted(Slice("web-2", "web", $"[{Ready("10.244.4.4")}]"));
        state.ServiceDeleted(new ServiceName("default", "dns"));
        Feed();

        Assert.Equal(["TCP 10.96.0.10:80 rr -> 10.244.1.5:8080 w1, 10.244.2.7:8080 w1, 10.244.4.4:8080 w1"], node.Table());
    }
}
