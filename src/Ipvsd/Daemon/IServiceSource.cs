using ServiceProxy.Reconciling;

namespace Ipvsd.Daemon;

/// <summary>
/// Where the sync loop's desired services come from: the model files, or the Kubernetes API. The loop's one thread
/// asks it when changes are pending and has them handed to the reconciler just before a sync.
/// </summary>
internal interface IServiceSource
{
    /// <summary>Blocks until the source knows the whole desired table (Kubernetes: the first lists are in); false when cancelled first.</summary>
    bool WaitUntilReady(CancellationToken cancellation);

    /// <summary>When the pending changes may be taken (a burst of file writes settles first); null when none are pending.</summary>
    DateTimeOffset? PendingAt(DateTimeOffset now);

    /// <summary>Hands the pending changes to <paramref name="reconciler"/>; true after a burst that re-read everything.</summary>
    bool TakeInto(ServiceReconciler reconciler);

    /// <summary>Called before each full sync, to look again at what events do not report (the node's addresses).</summary>
    void BeforeFullSync();
}
