using k8s;
using k8s.Models;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// What <see cref="KubernetesResourceClient{T}"/> needs to know of a kind: its name, the cluster-wide collection path
/// (for the watch) and the client's typed list call. <see cref="ResourceKinds"/> has the kinds a service proxy watches.
/// </summary>
/// <typeparam name="T">The resource's type.</typeparam>
public sealed class ResourceKind<T>
{
    private readonly Func<IKubernetes, ResourceSelector, CancellationToken, Task<ResourceList<T>>> _list;

    /// <summary>A kind.</summary>
    /// <param name="name">The resource's plural name, for logs: "services".</param>
    /// <param name="collectionPath">The cluster-wide collection, relative to the server's base: "api/v1/services".</param>
    /// <param name="list">The client's list call for the kind, with the selector's labelSelector and fieldSelector.</param>
    public ResourceKind(string name, string collectionPath, Func<IKubernetes, ResourceSelector, CancellationToken, Task<ResourceList<T>>> list)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(collectionPath);
        ArgumentNullException.ThrowIfNull(list);
        Name = name;
        CollectionPath = collectionPath;
        _list = list;
    }

    /// <summary>The resource's plural name: "services".</summary>
    public string Name { get; }

    /// <summary>The cluster-wide collection path, relative to the server's base: "api/v1/services".</summary>
    public string CollectionPath { get; }

    /// <summary>Lists the kind with the client.</summary>
    /// <param name="client">The client.</param>
    /// <param name="selector">The label and field selectors.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The objects and the list's resourceVersion.</returns>
    public Task<ResourceList<T>> ListAsync(IKubernetes client, ResourceSelector selector, CancellationToken cancellationToken) =>
        _list(client, selector, cancellationToken);
}

/// <summary>The kinds a service proxy watches: Services, EndpointSlices (discovery.k8s.io/v1) and Nodes.</summary>
public static class ResourceKinds
{
    /// <summary>Services (core/v1), in every namespace.</summary>
    public static ResourceKind<V1Service> Services { get; } = new("services", "api/v1/services", async (client, selector, cancellationToken) =>
    {
        V1ServiceList list = await client.CoreV1.ListServiceForAllNamespacesAsync(
            fieldSelector: selector.FieldSelector, labelSelector: selector.LabelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ResourceList<V1Service>(Items(list.Items), list.Metadata?.ResourceVersion ?? string.Empty);
    });

    /// <summary>EndpointSlices (discovery.k8s.io/v1), in every namespace.</summary>
    public static ResourceKind<V1EndpointSlice> EndpointSlices { get; } = new("endpointslices", "apis/discovery.k8s.io/v1/endpointslices", async (client, selector, cancellationToken) =>
    {
        V1EndpointSliceList list = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(
            fieldSelector: selector.FieldSelector, labelSelector: selector.LabelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ResourceList<V1EndpointSlice>(Items(list.Items), list.Metadata?.ResourceVersion ?? string.Empty);
    });

    /// <summary>Nodes (core/v1, cluster-scoped).</summary>
    public static ResourceKind<V1Node> Nodes { get; } = new("nodes", "api/v1/nodes", async (client, selector, cancellationToken) =>
    {
        V1NodeList list = await client.CoreV1.ListNodeAsync(
            fieldSelector: selector.FieldSelector, labelSelector: selector.LabelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ResourceList<V1Node>(Items(list.Items), list.Metadata?.ResourceVersion ?? string.Empty);
    });

    private static IReadOnlyList<T> Items<T>(IList<T>? items) => items switch
    {
        null => [],
        IReadOnlyList<T> readOnly => readOnly,
        _ => [.. items],
    };
}
