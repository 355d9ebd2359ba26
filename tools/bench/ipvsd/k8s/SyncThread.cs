using System.Diagnostics;
using ServiceProxy.Kubernetes.Reconciling;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Kubernetes.Watching;
using ServiceProxy.Reconciling;

namespace K8sBench;

/// <summary>
/// The one thread that touches the kernel, as ipvsd's sync loop: it waits until the source is ready, feeds what the
/// informers accumulated and syncs whole; then it sleeps until <see cref="Wake"/> (KubernetesStateUpdates' changed
/// callback, on an informer's thread) or a drain check is due, feeds and syncs incrementally. No min-sync-period and
/// no periodic full resync: the bench times the path of one change, not the daemon's pacing.
/// </summary>
internal sealed class SyncThread : IDisposable
{
    // Coalescing: 20,000 events of a first list wake the thread once they are in, not 20,000 times.
    private readonly AutoResetEvent _wake = new(false);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<FirstSync> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private int _wholeReads;

    /// <summary>The first sync: when the source became ready and when the full sync ended (Stopwatch ticks).</summary>
    public Task<FirstSync> First => _first.Task;

    /// <summary>Called on this thread after every sync, with the Stopwatch ticks at its end: nothing the kernel holds after it is younger.</summary>
    public Action<SyncReport, long>? Synced { get; init; }

    /// <summary>
    /// Takes whose changes said the virtual IPs or the rules changed, so that the feed read them whole from the desired
    /// state (a walk over every Service); the first sync's not counted.
    /// </summary>
    public int WholeStateReads => Volatile.Read(ref _wholeReads);

    /// <summary>Wakes the thread; from any thread.</summary>
    public void Wake() => _wake.Set();

    public void Start(KubernetesSource source, KubernetesStateUpdates updates, ReconcilerFeed feed)
    {
        _thread = new Thread(() => Run(source, updates, feed)) { IsBackground = true, Name = "k8s-bench sync" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _wake.Set();
        _thread?.Join();
        _wake.Dispose();
        _stop.Dispose();
    }

    private void Run(KubernetesSource source, KubernetesStateUpdates updates, ReconcilerFeed feed)
    {
        ServiceReconciler reconciler = feed.Reconciler;
        try
        {
            source.WaitUntilReadyAsync(_stop.Token).GetAwaiter().GetResult();
            long ready = Stopwatch.GetTimestamp();
            updates.TakeAndApply(feed);
            long fed = Stopwatch.GetTimestamp();
            SyncReport first = reconciler.Sync(SyncKind.Full);
            long ended = Stopwatch.GetTimestamp();
            if (!first.Succeeded)
            {
                throw new InvalidOperationException("the first sync failed", first.Error);
            }
            Synced?.Invoke(first, ended);
            _first.TrySetResult(new FirstSync(ready, fed, ended));
            while (!_stop.IsCancellationRequested)
            {
                _wake.WaitOne(UntilDrainCheck(reconciler));
                if (_stop.IsCancellationRequested)
                {
                    break;
                }
                DesiredStateChanges changes = updates.TakeAndApply(feed);
                if (changes.VirtualIpsChanged || changes.RulesChanged)
                {
                    Interlocked.Increment(ref _wholeReads);
                }
                if (reconciler.HasPendingChanges || reconciler.NextDrainCheck <= DateTimeOffset.UtcNow)
                {
                    SyncReport report = reconciler.Sync(SyncKind.Incremental);
                    Synced?.Invoke(report, Stopwatch.GetTimestamp());
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // whatever stops the thread must reach the waiting bench as a failure, not hang it
        catch (Exception e)
#pragma warning restore CA1031
        {
            _first.TrySetException(e);
            Synced?.Invoke(new SyncReport { Kind = SyncKind.Incremental, Error = e }, Stopwatch.GetTimestamp());
        }
    }

    private static TimeSpan UntilDrainCheck(ServiceReconciler reconciler)
    {
        if (reconciler.NextDrainCheck is not { } due)
        {
            return Timeout.InfiniteTimeSpan;
        }
        TimeSpan wait = due - DateTimeOffset.UtcNow;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}

/// <summary>Stopwatch ticks of the first sync: when both first lists were in, when the reconciler had them, and when the kernel held them.</summary>
internal readonly record struct FirstSync(long Ready, long Fed, long Synced);
