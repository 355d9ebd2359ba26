using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// Keeps a cache of one kind of object equal to the API server's and tells a handler what changed: the job of
/// client-go's reflector and informer, which KubernetesClient does not have. It lists, then watches from the list's
/// resourceVersion with bookmarks; on 410 Gone it lists again and hands over only the difference; when a watch ends
/// (server timeout, closed or dropped connection) it watches again from the last resourceVersion without listing;
/// other failures are retried after an exponential backoff with jitter.
/// </summary>
/// <typeparam name="T">The resource's type: <c>V1Service</c>, <c>V1EndpointSlice</c>, <c>V1Node</c>, ...</typeparam>
public sealed class ResourceInformer<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceClient<T> _client;
    private readonly IResourceHandler<T> _handler;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _cacheLock = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, T> _cache = new(StringComparer.Ordinal);
    private string? _resourceVersion;
    private int _started;
    private int _lists;
    private int _watches;

    /// <summary>An informer over <paramref name="client"/> that tells <paramref name="handler"/>; it starts with <see cref="RunAsync"/>.</summary>
    /// <param name="client">List and watch of the kind, with its selector.</param>
    /// <param name="handler">Told of every change, never concurrently.</param>
    /// <param name="options">Backoff settings; the defaults when null.</param>
    /// <param name="time">The clock for backoff delays; the system's when null.</param>
    /// <param name="logger">Where failures and relists are logged.</param>
    public ResourceInformer(IResourceClient<T> client, IResourceHandler<T> handler, InformerOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(handler);
        _client = client;
        _handler = handler;
        _options = options ?? new InformerOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The kind's name, e.g. "services".</summary>
    public string Kind => _client.Kind;

    /// <summary>
    /// Applied to every object from a list or an event before it is cached and handed over (client-go's
    /// SetTransform): dropping what no one reads (<c>metadata.managedFields</c>) keeps thousands of cached objects
    /// small. Null keeps objects as they came.
    /// </summary>
    public Func<T, T>? Transform { get; init; }

    /// <summary>True once the first complete list has been handed to the handler (client-go's HasSynced).</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The last resourceVersion seen (from a list, an event or a bookmark): where the next watch starts.</summary>
    public string? ResourceVersion => Volatile.Read(ref _resourceVersion);

    /// <summary>Complete lists made so far (the first and one per 410 Gone).</summary>
    public int Lists => Volatile.Read(ref _lists);

    /// <summary>Watches opened so far.</summary>
    public int Watches => Volatile.Read(ref _watches);

    /// <summary>The cached objects, a snapshot.</summary>
    /// <returns>Every object the informer holds now, in no particular order.</returns>
    public IReadOnlyList<T> List()
    {
        lock (_cacheLock)
        {
            return [.. _cache.Values];
        }
    }

    /// <summary>The cached object with this key, if any.</summary>
    /// <param name="key"><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object (see <see cref="ObjectKey"/>).</param>
    /// <returns>The object, or null.</returns>
    public T? Get(string key)
    {
        lock (_cacheLock)
        {
            return _cache.GetValueOrDefault(key);
        }
    }

    /// <summary>Completes when the first complete list has been handed over.</summary>
    /// <param name="cancellationToken">Stops waiting (not the informer).</param>
    /// <returns>A task that completes once <see cref="HasSynced"/> is true.</returns>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Lists and watches until <paramref name="cancellationToken"/> is cancelled, then returns (without throwing).
    /// Call it once.
    /// </summary>
    /// <param name="cancellationToken">Stops the informer, promptly, also in the middle of a watch or a backoff.</param>
    /// <returns>A task that completes when the informer has stopped.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"the {Kind} informer is already running");
        }
        var backoff = new RetryBackoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffJitter, _options.Random);
        bool mustList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (mustList)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    mustList = false;
                    backoff.Reset();
                }
                await WatchAsync(backoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (KubernetesApiException e) when (e.IsResourceExpired)
            {
                // Our resourceVersion is older than the server's history: only a new list can tell what we missed.
                InformerLog.Expired(_logger, Kind, ResourceVersion, e.Message);
                mustList = true;
            }
#pragma warning disable CA1031 // Any failure of a list or watch (network, server, decoding) must be retried, never end the informer.
            catch (Exception e)
#pragma warning restore CA1031
            {
                TimeSpan delay = backoff.Next();
                InformerLog.Failed(_logger, Kind, mustList ? "list" : "watch", backoff.Failures, (long)delay.TotalMilliseconds, e);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        InformerLog.Stopped(_logger, Kind, ResourceVersion);
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        ResourceList<T> list = await _client.ListAsync(cancellationToken).ConfigureAwait(false);
        var deleted = new List<T>();
        var added = new List<T>();
        var updated = new List<(T Previous, T Current)>();
        lock (_cacheLock)
        {
            var fresh = new Dictionary<string, T>(list.Items.Count, StringComparer.Ordinal);
            foreach (T listed in list.Items)
            {
                T item = Transform is null ? listed : Transform(listed);
                string key = ObjectKey.Of(item);
                fresh[key] = item;
                if (!_cache.TryGetValue(key, out T? previous))
                {
                    added.Add(item);
                }
                else if (!string.Equals(previous.Metadata?.Uid, item.Metadata?.Uid, StringComparison.Ordinal))
                {
                    // Deleted and created again while we were not watching: another object under the same name.
                    deleted.Add(previous);
                    added.Add(item);
                }
                else if (!string.Equals(previous.Metadata?.ResourceVersion, item.Metadata?.ResourceVersion, StringComparison.Ordinal))
                {
                    updated.Add((previous, item));
                }
            }
            foreach ((string key, T previous) in _cache)
            {
                if (!fresh.ContainsKey(key))
                {
                    deleted.Add(previous);
                }
            }
            _cache = fresh;
        }
        Volatile.Write(ref _resourceVersion, list.ResourceVersion);
        int lists = Interlocked.Increment(ref _lists);
        // Deletes first: a handler that keys by address (an endpoint moving between slices) sees the old go before the new.
        foreach (T item in deleted)
        {
            Tell("delete", item, () => _handler.OnDeleted(item));
        }
        foreach ((T previous, T current) in updated)
        {
            Tell("update", current, () => _handler.OnUpdated(previous, current));
        }
        foreach (T item in added)
        {
            Tell("add", item, () => _handler.OnAdded(item));
        }
        Tell("end of list", null, _handler.OnListed);
        InformerLog.Listed(_logger, Kind, list.Items.Count, list.ResourceVersion, lists, added.Count, updated.Count, deleted.Count);
        _synced.TrySetResult();
    }

    private async Task WatchAsync(RetryBackoff backoff, CancellationToken cancellationToken)
    {
        string from = ResourceVersion!;
        long started = _time.GetTimestamp();
        int events = 0;
        Interlocked.Increment(ref _watches);
        InformerLog.Watching(_logger, Kind, from);
        await foreach (WatchEvent<T> change in _client.WatchAsync(from, cancellationToken).ConfigureAwait(false))
        {
            events++;
            Apply(change);
            backoff.Reset();
        }
        TimeSpan lasted = _time.GetElapsedTime(started);
        InformerLog.WatchEnded(_logger, Kind, events, (long)lasted.TotalMilliseconds, ResourceVersion);
        if (events == 0 && lasted < _options.MinimumWatchDuration)
        {
            throw new InvalidOperationException($"the {Kind} watch from resourceVersion {from} ended after {(long)lasted.TotalMilliseconds} ms with no event");
        }
    }

    private void Apply(WatchEvent<T> change)
    {
        T item = change.Item;
        string? version = item.Metadata?.ResourceVersion;
        if (change.Kind == WatchEventKind.Bookmark)
        {
            if (!string.IsNullOrEmpty(version))
            {
                Volatile.Write(ref _resourceVersion, version);
            }
            return;
        }
        if (Transform is not null)
        {
            item = Transform(item);
        }
        string key = ObjectKey.Of(item);
        T? previous;
        lock (_cacheLock)
        {
            _cache.TryGetValue(key, out previous);
            if (change.Kind == WatchEventKind.Deleted)
            {
                _cache.Remove(key);
            }
            else
            {
                _cache[key] = item;
            }
        }
        if (!string.IsNullOrEmpty(version))
        {
            Volatile.Write(ref _resourceVersion, version);
        }
        // The cache decides between add and update, not the event's type: an ADDED for a known key (or a MODIFIED for an
        // unknown one) cannot leave the handler's view different from the cache.
        if (change.Kind == WatchEventKind.Deleted)
        {
            if (previous is not null)
            {
                Tell("delete", item, () => _handler.OnDeleted(item));
            }
        }
        else if (previous is null)
        {
            Tell("add", item, () => _handler.OnAdded(item));
        }
        else
        {
            Tell("update", item, () => _handler.OnUpdated(previous, item));
        }
    }

    private void Tell(string change, T? item, Action call)
    {
        try
        {
            call();
        }
#pragma warning disable CA1031 // A handler's bug must not stop the cache from following the server; it is logged as an error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            InformerLog.HandlerFailed(_logger, Kind, change, item is null ? "(list)" : ObjectKey.Of(item), e);
        }
    }
}
