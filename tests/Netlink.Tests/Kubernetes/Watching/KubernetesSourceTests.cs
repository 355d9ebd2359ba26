using k8s.Models;
using KubernetesTestServer;
using ServiceProxy.Kubernetes.Watching;

namespace Netlink.Tests.Kubernetes.Watching;

/// <summary>The source of a service proxy: three informers, ready only after both Services and EndpointSlices listed.</summary>
public sealed class KubernetesSourceTests
{
    private const int Bound = 30_000;

    [Theory(Timeout = Bound)]
    [InlineData("services")]
    [InlineData("endpointslices")]
    public async Task The_source_is_not_ready_before_both_services_and_endpoint_slices_have_listed(string heldBack)
    {
        await using ServerRig rig = await ServerRig.StartAsync();
        V1Service web = Objects.Service("web");
        web.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Apply", ApiVersion = "v1", FieldsType = "FieldsV1" }];
        rig.Server.Services.Apply(web);
        rig.Server.EndpointSlices.Apply(Objects.Slice("web-abc", "web", addresses: ["198.19.0.1"]));
        rig.Server.Nodes.Apply(Objects.Node("node-1", "198.18.1.1"));
        var services = new RecordingHandler<V1Service>();
        var slices = new RecordingHandler<V1EndpointSlice>();
        var node = new RecordingHandler<V1Node>();
        var source = KubernetesSource.Create(
            rig.Connection,
            new KubernetesSourceOptions { NodeName = "node-1", Informer = ServerRig.QuickRetries },
            new KubernetesSourceHandlers { Services = services, EndpointSlices = slices, Node = node });

        IDisposable hold = rig.Server.HoldLists(heldBack);
        rig.Run(source.RunAsync(rig.Stopping));
        ResourceInformer<V1Service> servicesInformer = source.Services;
        ResourceInformer<V1EndpointSlice> slicesInformer = source.EndpointSlices;
        Task other = heldBack == "services" ? slicesInformer.WaitForSyncAsync(TestContext.Current.CancellationToken) : servicesInformer.WaitForSyncAsync(TestContext.Current.CancellationToken);
        await Eventually.WithinLimitAsync(Task.WhenAll(other, source.Node.WaitForSyncAsync(TestContext.Current.CancellationToken)), "the lists that are not held back");
        Assert.False(source.IsReady);
        Assert.False(source.WaitUntilReadyAsync(TestContext.Current.CancellationToken).IsCompleted);

        hold.Dispose();
        await Eventually.WithinLimitAsync(source.WaitUntilReadyAsync(TestContext.Current.CancellationToken), "readiness");
        Assert.True(source.IsReady);
        Assert.Equal(["added default/web", "listed"], services.Events);
        Assert.Equal(["added default/web-abc", "listed"], slices.Events);
        Assert.Equal(["added node-1", "listed"], node.Events);
        // What a proxy never reads is not kept: server-side apply's bookkeeping is dropped before caching.
        Assert.NotNull(Assert.Single(rig.Server.Services.Items).Metadata.ManagedFields);
        Assert.Null(source.Services.Get("default/web")!.Metadata.ManagedFields);
        Assert.Contains(rig.Server.Requests, r => r.Resource == "services" && r.LabelSelector == ServiceProxySelectors.Services(null));
    }
}
