using System.Collections.Concurrent;
using Netlink.Ipvs;

namespace Ipvsd.Daemon;

/// <summary>
/// What wakes the sync loop, posted from other threads (the file watcher, the SIGHUP handler, health checks) and
/// taken by the loop's one thread, which alone touches the kernel.
/// </summary>
internal sealed class DaemonEvents : IDisposable
{
    private readonly ConcurrentQueue<string> _changedFiles = new();
    private readonly ConcurrentQueue<VirtualServiceKey> _healthChanged = new();
    private readonly SemaphoreSlim _wake = new(0);
    private int _reloadAll;
    private long _lastFileEvent;

    /// <summary>When the last file event came (Stopwatch ticks), for letting a burst of writes settle.</summary>
    public long LastFileEvent => Interlocked.Read(ref _lastFileEvent);

    public bool HasFileChanges => !_changedFiles.IsEmpty || Volatile.Read(ref _reloadAll) != 0;

    public bool HasHealthChanges => !_healthChanged.IsEmpty;

    public void FileChanged(string path)
    {
        _changedFiles.Enqueue(path);
        Interlocked.Exchange(ref _lastFileEvent, System.Diagnostics.Stopwatch.GetTimestamp());
        Wake();
    }

    public void ReloadAll()
    {
        Volatile.Write(ref _reloadAll, 1);
        Wake();
    }

    public void HealthChanged(VirtualServiceKey service)
    {
        _healthChanged.Enqueue(service);
        Wake();
    }

    /// <summary>Takes the file changes: whether everything is to be read again, else the paths that changed.</summary>
    public bool TakeFileChanges(out List<string> paths)
    {
        paths = [];
        while (_changedFiles.TryDequeue(out string? path))
        {
            paths.Add(path);
        }
        return Interlocked.Exchange(ref _reloadAll, 0) != 0;
    }

    public List<VirtualServiceKey> TakeHealthChanges()
    {
        var keys = new List<VirtualServiceKey>();
        while (_healthChanged.TryDequeue(out VirtualServiceKey? key))
        {
            keys.Add(key);
        }
        return keys;
    }

    public void Wake() => _wake.Release();

    /// <summary>Waits until woken or <paramref name="timeout"/> passes.</summary>
    public void Wait(TimeSpan timeout, CancellationToken cancellation)
    {
        try
        {
            _wake.Wait(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, cancellation);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _wake.Dispose();
}
