using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// The Kubernetes side of a service proxy: three informers, for the Services and EndpointSlices it serves and for its
/// own Node. It is ready (a first sync may run) only once both Services and EndpointSlices have completed their
/// first list, as kube-proxy waits for both; the Node does not hold it back.
/// </summary>
public sealed class KubernetesSource
{
    /// <summary>A source over three list-and-watch clients (tests give fakes or a test server's).</summary>
    /// <param name="services">Services, with the proxy's label selector.</param>
    /// <param name="endpointSlices">EndpointSlices, with the proxy's label selector.</param>
    /// <param name="node">This node's Node, with its field selector.</param>
    /// <param name="handlers">Told of changes; their calls are serialized across the three informers.</param>
    /// <param name="options">Backoff settings; the defaults when null.</param>
    /// <param name="time">The clock of the backoff; the system's when null.</param>
    /// <param name="loggerFactory">Where the informers log.</param>
    public KubernetesSource(
        IResourceClient<V1Service> services,
        IResourceClient<V1EndpointSlice> endpointSlices,
        IResourceClient<V1Node> node,
        KubernetesSourceHandlers handlers,
        InformerOptions? options = null,
        TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        loggerFactory ??= NullLoggerFactory.Instance;
        ILogger logger = loggerFactory.CreateLogger<KubernetesSource>();
        var gate = new Lock();
        Services = new ResourceInformer<V1Service>(services, new SerializedHandler<V1Service>(handlers.Services, gate), options, time, logger) { Transform = ObjectTransforms.WithoutManagedFields };
        EndpointSlices = new ResourceInformer<V1EndpointSlice>(endpointSlices, new SerializedHandler<V1EndpointSlice>(handlers.EndpointSlices, gate), options, time, logger) { Transform = ObjectTransforms.WithoutManagedFields };
        Node = new ResourceInformer<V1Node>(node, new SerializedHandler<V1Node>(handlers.Node, gate), options, time, logger) { Transform = ObjectTransforms.WithoutManagedFields };
    }

    /// <summary>A source over the API server: the selectors from <paramref name="options"/>, the client from <paramref name="connection"/>.</summary>
    /// <param name="connection">The API server's client.</param>
    /// <param name="options">The node, the proxy's name, backoff and watch settings.</param>
    /// <param name="handlers">Told of changes; their calls are serialized across the three informers.</param>
    /// <param name="time">The clock of backoff and watch deadlines; the system's when null.</param>
    /// <param name="loggerFactory">Where the informers log.</param>
    /// <returns>The source; it starts with <see cref="RunAsync"/>.</returns>
    public static KubernetesSource Create(KubernetesConnection connection, KubernetesSourceOptions options, KubernetesSourceHandlers handlers, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        return new KubernetesSource(
            new KubernetesResourceClient<V1Service>(connection, ResourceKinds.Services, new ResourceSelector(ServiceProxySelectors.Services(options.ServiceProxyName)), options.Watch, time),
            new KubernetesResourceClient<V1EndpointSlice>(connection, ResourceKinds.EndpointSlices, new ResourceSelector(ServiceProxySelectors.EndpointSlices(options.ServiceProxyName)), options.Watch, time),
            new KubernetesResourceClient<V1Node>(connection, ResourceKinds.Nodes, new ResourceSelector(FieldSelector: ServiceProxySelectors.Node(options.NodeName)), options.Watch, time),
            handlers,
            options.Informer,
            time,
            loggerFactory);
    }

    /// <summary>The Services informer (its cache holds the served Services).</summary>
    public ResourceInformer<V1Service> Services { get; }

    /// <summary>The EndpointSlices informer.</summary>
    public ResourceInformer<V1EndpointSlice> EndpointSlices { get; }

    /// <summary>The informer of this node's Node.</summary>
    public ResourceInformer<V1Node> Node { get; }

    /// <summary>True once both Services and EndpointSlices have completed their first list: no sync may run before.</summary>
    public bool IsReady => Services.HasSynced && EndpointSlices.HasSynced;

    /// <summary>Completes when <see cref="IsReady"/> becomes true.</summary>
    /// <param name="cancellationToken">Stops waiting (not the source).</param>
    /// <returns>A task that completes once both first lists are in.</returns>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(Services.WaitForSyncAsync(cancellationToken), EndpointSlices.WaitForSyncAsync(cancellationToken));

    /// <summary>Runs the three informers until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops them.</param>
    /// <returns>A task that completes when all three have stopped.</returns>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Services.RunAsync(cancellationToken), EndpointSlices.RunAsync(cancellationToken), Node.RunAsync(cancellationToken));
}
