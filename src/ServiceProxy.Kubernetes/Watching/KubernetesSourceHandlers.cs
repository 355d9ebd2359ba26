using k8s.Models;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>Who a <see cref="KubernetesSource"/> tells of changes, one handler per kind; the calls are never concurrent.</summary>
public sealed class KubernetesSourceHandlers
{
    /// <summary>Told of Services.</summary>
    public required IResourceHandler<V1Service> Services { get; init; }

    /// <summary>Told of EndpointSlices.</summary>
    public required IResourceHandler<V1EndpointSlice> EndpointSlices { get; init; }

    /// <summary>Told of this node's Node object.</summary>
    public required IResourceHandler<V1Node> Node { get; init; }
}
