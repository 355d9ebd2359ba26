using k8s.Models;
using KubernetesTestServer;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>The label and field selectors a service proxy watches with select what they should, in the list and in the watch.</summary>
public sealed class SelectorTests
{
    private const int Bound = 30_000;

    private static void AddServices(TestApiServer server)
    {
        server.Services.Apply(Objects.Service("ours", labels: Objects.Labels((ServiceProxySelectors.ServiceProxyNameLabel, "ipvsd"))));
        server.Services.Apply(Objects.Service("theirs", labels: Objects.Labels((ServiceProxySelectors.ServiceProxyNameLabel, "other-proxy"))));
        server.Services.Apply(Objects.Service("plain", ns: "shop"));
        server.Services.Apply(Objects.Service("headless", labels: Objects.Labels((ServiceProxySelectors.HeadlessLabel, ""))));
    }

    [Fact]
    public void The_selectors_are_kube_proxys()
    {
        Assert.Equal("!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless", ServiceProxySelectors.Services(null));
        Assert.Equal("service.kubernetes.io/service-proxy-name=ipvsd,!service.kubernetes.io/headless", ServiceProxySelectors.Services("ipvsd"));
        Assert.Equal("!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless,kubernetes.io/service-name", ServiceProxySelectors.EndpointSlices(null));
        Assert.Equal("metadata.name=node-1", ServiceProxySelectors.Node("node-1"));
    }

    [Fact(Timeout = Bound)]
    public async Task A_proxy_name_selects_the_services_labelled_with_it_and_follows_labels_changing()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        AddServices(rig.Server);
        var (informer, handler) = rig.Start(ResourceKinds.Services, new ResourceSelector(ServiceProxySelectors.Services("ipvsd")));
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        Assert.Equal(["added default/ours", "listed"], handler.Events);
        await TestApiServer.WaitForWatchesAsync(rig.Server.Services, 1, TestContext.Current.CancellationToken);

        // Relabelled away: the watch says DELETED; relabelled to us: ADDED; unrelated changes: nothing.
        rig.Server.Services.Apply(Objects.Service("ours", labels: Objects.Labels((ServiceProxySelectors.ServiceProxyNameLabel, "other-proxy"))));
        rig.Server.Services.Apply(Objects.Service("plain", ns: "shop", clusterIp: "198.18.0.20"));
        rig.Server.Services.Apply(Objects.Service("theirs", labels: Objects.Labels((ServiceProxySelectors.ServiceProxyNameLabel, "ipvsd"))));
        await Eventually.HoldsAsync(() => handler.Events.Count == 4, "two watch events");
        Assert.Equal(["deleted default/ours", "added default/theirs"], handler.Events.Skip(2));
        Assert.Equal(["default/theirs"], informer.List().Select(ObjectKey.Of));
    }

    [Fact(Timeout = Bound)]
    public async Task Replacing_kube_proxy_selects_the_services_without_a_proxy_name_and_not_headless()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        AddServices(rig.Server);
        var (informer, handler) = rig.Start(ResourceKinds.Services, new ResourceSelector(ServiceProxySelectors.Services(null)));
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        Assert.Equal(["added shop/plain", "listed"], handler.Events);
        Assert.Equal(ServiceProxySelectors.Services(null), rig.Server.Requests.First(r => r.IsList).LabelSelector);
    }

    [Fact(Timeout = Bound)]
    public async Task Endpoint_slices_are_selected_by_the_proxy_name_and_only_when_they_name_their_service()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        rig.Server.EndpointSlices.Apply(Objects.Slice("web-abc", "web", addresses: ["198.19.0.1"]));
        rig.Server.EndpointSlices.Apply(Objects.Slice("orphan", "", addresses: ["198.19.0.2"]));
        rig.Server.EndpointSlices.Apply(Objects.Slice("db-xyz", "db", labels: Objects.Labels((ServiceProxySelectors.HeadlessLabel, "")), addresses: ["198.19.0.3"]));
        rig.Server.EndpointSlices.Apply(Objects.Slice("cache-1", "cache", labels: Objects.Labels((ServiceProxySelectors.ServiceProxyNameLabel, "ipvsd")), addresses: ["198.19.0.4"]));

        var (mine, mineHandler) = rig.Start(ResourceKinds.EndpointSlices, new ResourceSelector(ServiceProxySelectors.EndpointSlices("ipvsd")));
        var (all, allHandler) = rig.Start(ResourceKinds.EndpointSlices, new ResourceSelector(ServiceProxySelectors.EndpointSlices(null)));
        await Eventually.WithinLimitAsync(Task.WhenAll(mine.WaitForSyncAsync(TestContext.Current.CancellationToken), all.WaitForSyncAsync(TestContext.Current.CancellationToken)), "the first lists");

        Assert.Equal(["added default/cache-1", "listed"], mineHandler.Events);
        Assert.Equal(["added default/web-abc", "listed"], allHandler.Events);
        V1EndpointSlice slice = all.Get("default/web-abc")!;
        Assert.Equal("198.19.0.1", Assert.Single(slice.Endpoints).Addresses[0]);
        Assert.True(slice.Endpoints[0].Conditions.Ready);
    }

    [Fact(Timeout = Bound)]
    public async Task The_node_field_selector_sees_only_this_node()
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        rig.Server.Nodes.Apply(Objects.Node("node-1", "198.18.1.1"));
        rig.Server.Nodes.Apply(Objects.Node("node-2", "198.18.1.2"));
        var (informer, handler) = rig.Start(ResourceKinds.Nodes, new ResourceSelector(FieldSelector: ServiceProxySelectors.Node("node-1")));
        await Eventually.WithinLimitAsync(informer.WaitForSyncAsync(TestContext.Current.CancellationToken), "the first list");
        await TestApiServer.WaitForWatchesAsync(rig.Server.Nodes, 1, TestContext.Current.CancellationToken);
        Assert.Equal(["added node-1", "listed"], handler.Events);

        rig.Server.Nodes.Apply(Objects.Node("node-2", "198.18.1.22"));
        rig.Server.Nodes.Apply(Objects.Node("node-1", "198.18.1.11"));
        await Eventually.HoldsAsync(() => handler.Events.Count == 3, "the node's change");
        Assert.Equal("updated node-1", handler.Events[2]);
        Assert.Equal("198.18.1.11", informer.Get("node-1")!.Status.Addresses[0].Address);
        Assert.All(rig.Server.Requests.Where(r => r.Resource == "nodes"), r => Assert.Equal("metadata.name=node-1", r.FieldSelector));
    }
}
