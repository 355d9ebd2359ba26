using k8s.Models;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Kubernetes.Watching;

namespace ServiceProxy.Kubernetes.Reconciling;

/// <summary>
/// Where a <see cref="KubernetesSource"/>'s informers and the one thread that syncs the kernel meet: the
/// <see cref="Handlers"/> turn every Service, EndpointSlice and Node event into a change of one
/// <see cref="KubernetesDesiredState"/> (on the informers' threads), and <see cref="TakeAndApply"/> hands what accumulated
/// to a <see cref="ReconcilerFeed"/> (on the sync thread). The state is touched under one lock, held only for one
/// event's translation or one take, so an informer never waits for a kernel sync.
/// <para>
/// The node is described by its Node object (the zone) and by this host's addresses (where node ports listen), which
/// the caller reads from the kernel and passes to <see cref="SetLocalAddresses"/> whenever it looks again.
/// </para>
/// </summary>
public sealed class KubernetesStateUpdates
{
    private readonly Lock _lock = new();
    private readonly KubernetesProxyOptions _options;
    private readonly string _dummyInterface;
    private readonly Action _changed;
    private LocalAddress[] _localAddresses;
    private V1Node? _node;

    /// <summary>An empty state for the node <paramref name="options"/> name, with this host's addresses as read now.</summary>
    /// <param name="options">How Services are translated and which are served.</param>
    /// <param name="localAddresses">This host's addresses (rtnetlink), for node ports.</param>
    /// <param name="dummyInterface">The interface the virtual IPs live on: its addresses are not node addresses.</param>
    /// <param name="changed">Called after each event that may have changed the state (to wake the sync thread); on an informer's thread.</param>
    public KubernetesStateUpdates(KubernetesProxyOptions options, IEnumerable<LocalAddress> localAddresses, string dummyInterface, Action? changed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(localAddresses);
        ArgumentException.ThrowIfNullOrEmpty(dummyInterface);
        _options = options;
        _dummyInterface = dummyInterface;
        _changed = changed ?? (() => { });
        _localAddresses = [.. localAddresses];
        State = new KubernetesDesiredState(options, ProxyNode.Create(options, null, _localAddresses, dummyInterface));
        Handlers = new KubernetesSourceHandlers
        {
            Services = new Handler<V1Service>(this, s => State.ServiceUpserted(s), s => State.ServiceDeleted(s)),
            EndpointSlices = new Handler<V1EndpointSlice>(this, s => State.EndpointSliceUpserted(s), s => State.EndpointSliceDeleted(s)),
            Node = new Handler<V1Node>(this, n => NodeIs(n), _ => NodeIs(null)),
        };
    }

    /// <summary>
    /// The state fed. Read or change it only through this class (its lock), or before the source runs: to build a
    /// <see cref="ReconcilerFeed"/>, for instance.
    /// </summary>
    public KubernetesDesiredState State { get; }

    /// <summary>The handlers to give <see cref="KubernetesSource"/>.</summary>
    public KubernetesSourceHandlers Handlers { get; }

    /// <summary>Whether changes wait to be taken.</summary>
    public bool HasChanges
    {
        get
        {
            lock (_lock)
            {
                return State.HasChanges;
            }
        }
    }

    /// <summary>How many Services are served.</summary>
    public int ServiceCount
    {
        get
        {
            lock (_lock)
            {
                return State.ServiceCount;
            }
        }
    }

    /// <summary>
    /// Takes the accumulated changes and applies them to <paramref name="feed"/>'s reconciler (on the thread that syncs
    /// it); returns them for what the reconciler does not do (health check node ports, problems, conflicts).
    /// </summary>
    public DesiredStateChanges TakeAndApply(ReconcilerFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (!ReferenceEquals(feed.State, State))
        {
            throw new ArgumentException("the feed reads another desired state than this one", nameof(feed));
        }
        lock (_lock)
        {
            return feed.TakeAndApply();
        }
    }

    /// <summary>
    /// This host's addresses as read again: when they differ from the last, every Service is translated again for the
    /// node's new addresses (only virtual servers that differ become changes). Returns whether they differed.
    /// </summary>
    public bool SetLocalAddresses(IEnumerable<LocalAddress> localAddresses)
    {
        ArgumentNullException.ThrowIfNull(localAddresses);
        LocalAddress[] addresses = [.. localAddresses];
        lock (_lock)
        {
            if (addresses.SequenceEqual(_localAddresses))
            {
                return false;
            }
            _localAddresses = addresses;
            State.NodeChanged(ProxyNode.Create(_options, _node, _localAddresses, _dummyInterface));
        }
        _changed();
        return true;
    }

    /// <summary>Runs <paramref name="read"/> on the state under the lock (for metrics, logs and tests).</summary>
    public T Read<T>(Func<KubernetesDesiredState, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_lock)
        {
            return read(State);
        }
    }

    private void NodeIs(V1Node? node)
    {
        _node = node;
        State.NodeChanged(ProxyNode.Create(_options, node, _localAddresses, _dummyInterface));
    }

    private void Change(Action change)
    {
        lock (_lock)
        {
            change();
        }
        _changed();
    }

    /// <summary>
    /// One kind's handler. A complete list needs nothing of its own: the informer reports what a new list added,
    /// changed or lacks one object at a time before it says the list is in.
    /// </summary>
    private sealed class Handler<T>(KubernetesStateUpdates owner, Action<T> upserted, Action<T> deleted) : IResourceHandler<T>
    {
        public void OnAdded(T item) => owner.Change(() => upserted(item));

        public void OnUpdated(T previous, T current) => owner.Change(() => upserted(current));

        public void OnDeleted(T item) => owner.Change(() => deleted(item));

        public void OnListed()
        {
        }
    }
}
