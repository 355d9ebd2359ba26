using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace KubernetesTestServer;

/// <summary>
/// The objects of one kind, their recent history (every change with its resourceVersion, up to a compaction window)
/// and the open watches: what the API server's storage and watch cache do, in memory. Every change gets the next
/// server-wide resourceVersion and reaches the open watches in order, each filtered by its selectors (an object that
/// stops matching is a DELETED for that watch, one that starts matching an ADDED, as the real server does).
/// </summary>
/// <typeparam name="T">The resource's type.</typeparam>
public sealed class ResourceStore<T> : IResourceStore where T : class, IKubernetesObject<V1ObjectMeta>, new()
{
    private readonly ServerClock _clock;
    private readonly string _kind;
    private readonly string _apiVersion;
    private readonly SortedDictionary<string, T> _objects = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private long _compactedThrough;

    internal ResourceStore(ServerClock clock, string resource, string kind, string apiVersion, string apiPrefix, bool namespaced)
    {
        _clock = clock;
        Resource = resource;
        _kind = kind;
        _apiVersion = apiVersion;
        ApiPrefix = apiPrefix;
        Namespaced = namespaced;
    }

    /// <summary>The resource's plural name: "services".</summary>
    public string Resource { get; }

    /// <summary>The path before the resource: "/api/v1" or "/apis/discovery.k8s.io/v1".</summary>
    public string ApiPrefix { get; }

    /// <summary>False for cluster-scoped kinds (Node).</summary>
    public bool Namespaced { get; }

    /// <summary>How many changes the history keeps; older ones are compacted away and a watch from before them gets 410 Gone.</summary>
    public int HistoryLimit { get; set; } = 10_000;

    /// <summary>The objects now, copies.</summary>
    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_clock.Gate)
            {
                return [.. _objects.Values.Select(Copy)];
            }
        }
    }

    /// <summary>Watches open now.</summary>
    public int OpenWatches
    {
        get
        {
            lock (_clock.Gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Creates or replaces an object (a copy is stored): it gets the next resourceVersion, a uid when new, and watches see ADDED or MODIFIED.</summary>
    /// <param name="item">The object; its kind and apiVersion are filled in.</param>
    /// <returns>The stored object (a copy).</returns>
    public T Apply(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        T stored = Copy(item);
        stored.Kind = _kind;
        stored.ApiVersion = _apiVersion;
        stored.Metadata ??= new V1ObjectMeta();
        if (string.IsNullOrEmpty(stored.Metadata.Name))
        {
            throw new ArgumentException("an object needs metadata.name", nameof(item));
        }
        if (!Namespaced)
        {
            stored.Metadata.NamespaceProperty = null;
        }
        else if (string.IsNullOrEmpty(stored.Metadata.NamespaceProperty))
        {
            stored.Metadata.NamespaceProperty = "default";
        }
        string key = Key(stored.Metadata.NamespaceProperty, stored.Metadata.Name);
        lock (_clock.Gate)
        {
            _objects.TryGetValue(key, out T? previous);
            if (previous is not null && string.IsNullOrEmpty(stored.Metadata.Uid))
            {
                stored.Metadata.Uid = previous.Metadata.Uid;
                stored.Metadata.CreationTimestamp = previous.Metadata.CreationTimestamp;
            }
            stored.Metadata.Uid ??= Guid.NewGuid().ToString();
            stored.Metadata.CreationTimestamp ??= DateTime.UtcNow;
            long revision = ++_clock.Revision;
            stored.Metadata.ResourceVersion = revision.ToString(CultureInfo.InvariantCulture);
            _objects[key] = stored;
            Record(new StoredEvent(revision, previous is null ? "ADDED" : "MODIFIED", previous, stored, KubernetesJson.Serialize(stored)));
            return Copy(stored);
        }
    }

    /// <summary>Deletes an object: watches see DELETED with its last state at the deletion's resourceVersion.</summary>
    /// <param name="namespaceName">Its namespace (null for cluster-scoped kinds).</param>
    /// <param name="name">Its name.</param>
    /// <returns>False when there was no such object.</returns>
    public bool Delete(string? namespaceName, string name)
    {
        lock (_clock.Gate)
        {
            string key = Key(Namespaced ? namespaceName ?? "default" : null, name);
            if (!_objects.TryGetValue(key, out T? previous))
            {
                return false;
            }
            _objects.Remove(key);
            long revision = ++_clock.Revision;
            T last = Copy(previous);
            last.Metadata.ResourceVersion = revision.ToString(CultureInfo.InvariantCulture);
            Record(new StoredEvent(revision, "DELETED", previous, last, KubernetesJson.Serialize(last)));
            return true;
        }
    }

    /// <summary>Forgets the whole history: a watch from any resourceVersion before now gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_clock.Gate)
        {
            _history.Clear();
            _compactedThrough = _clock.Revision;
        }
    }

    /// <summary>Ends every open watch normally, as the server's timeout does.</summary>
    public void CloseWatches() => ForEachWatcher(w => w.Close());

    /// <summary>Aborts the connection of every open watch mid-stream.</summary>
    public void DropWatches() => ForEachWatcher(w => w.Drop());

    /// <summary>Open watches receive nothing more (the changes still enter the history), until they are closed, dropped or sent an error.</summary>
    public void StallWatches() => ForEachWatcher(w => w.Stalled = true);

    /// <summary>Sends a BOOKMARK with the current resourceVersion to every open watch that allowed bookmarks.</summary>
    public void SendBookmark()
    {
        lock (_clock.Gate)
        {
            var bookmark = new T
            {
                Kind = _kind,
                ApiVersion = _apiVersion,
                Metadata = new V1ObjectMeta { ResourceVersion = _clock.Revision.ToString(CultureInfo.InvariantCulture) },
            };
            string line = Line("BOOKMARK", KubernetesJson.Serialize(bookmark));
            foreach (Watcher watcher in _watchers.Where(w => w.AllowsBookmarks))
            {
                watcher.Send(line);
            }
        }
    }

    /// <summary>Writes <paramref name="line"/> as it is to every open watch: garbage a client must survive.</summary>
    /// <param name="line">One line, without its newline.</param>
    public void SendRawLine(string line) => ForEachWatcher(w => w.Send(line));

    /// <summary>Ends every open watch with an ERROR event carrying a 410 Status (reason Expired), as a server does when a watch falls out of its window.</summary>
    public void SendExpiredError() => ForEachWatcher(w => w.SendLastAndClose(Line("ERROR", StatusJson.Failure(410, "Expired", "the watch's resourceVersion is too old"))));

    string IResourceStore.ListJson(string? namespaceName, LabelSelector labels, FieldSelector fields)
    {
        var json = new StringBuilder();
        lock (_clock.Gate)
        {
            json.Append(CultureInfo.InvariantCulture, $"{{\"kind\":\"{_kind}List\",\"apiVersion\":\"{_apiVersion}\",\"metadata\":{{\"resourceVersion\":\"{_clock.Revision}\"}},\"items\":[");
            bool first = true;
            foreach (T item in _objects.Values)
            {
                if ((namespaceName is null || namespaceName == item.Metadata.NamespaceProperty)
                    && fields.Matches(item.Metadata.Name, item.Metadata.NamespaceProperty) && labels.Matches(item.Metadata.Labels))
                {
                    // A list's items carry no kind and apiVersion of their own (the list says them), as the real server's.
                    T listed = Copy(item);
                    listed.Kind = null;
                    listed.ApiVersion = null;
                    json.Append(first ? "" : ",").Append(KubernetesJson.Serialize(listed));
                    first = false;
                }
            }
            json.Append("]}");
        }
        return json.ToString();
    }

    Watcher IResourceStore.OpenWatch(string? namespaceName, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool bookmarks)
    {
        var watcher = new Watcher(namespaceName, labels, fields, bookmarks);
        lock (_clock.Gate)
        {
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                // "Any" or unset: a synthetic ADDED for every object, then the changes from now on.
                foreach (T item in _objects.Values)
                {
                    if (watcher.Selects(item.Metadata.Name, item.Metadata.NamespaceProperty, item.Metadata.Labels))
                    {
                        watcher.Send(Line("ADDED", KubernetesJson.Serialize(item)));
                    }
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out long from))
                {
                    throw new FormatException($"invalid resourceVersion {resourceVersion}");
                }
                if (from < _compactedThrough)
                {
                    throw new ResourceExpiredException($"too old resource version: {from} ({_compactedThrough})");
                }
                foreach (StoredEvent change in _history.Where(e => e.Revision > from))
                {
                    SendTo(watcher, change);
                }
            }
            _watchers.Add(watcher);
        }
        return watcher;
    }

    void IResourceStore.CloseWatch(Watcher watcher)
    {
        lock (_clock.Gate)
        {
            _watchers.Remove(watcher);
        }
    }

    string? IResourceStore.GetJson(string? namespaceName, string name)
    {
        lock (_clock.Gate)
        {
            return _objects.TryGetValue(Key(Namespaced ? namespaceName : null, name), out T? item) ? KubernetesJson.Serialize(item) : null;
        }
    }

    string IResourceStore.ApplyJson(string body, string? namespaceName, string? name)
    {
        T item = KubernetesJson.Deserialize<T>(body) ?? throw new FormatException("no object in the body");
        item.Metadata ??= new V1ObjectMeta();
        if (name is not null)
        {
            item.Metadata.Name = name;
        }
        if (Namespaced && namespaceName is not null)
        {
            item.Metadata.NamespaceProperty = namespaceName;
        }
        return KubernetesJson.Serialize(Apply(item));
    }

    string? IResourceStore.DeleteJson(string? namespaceName, string name)
    {
        string? json = ((IResourceStore)this).GetJson(namespaceName, name);
        return json is not null && Delete(namespaceName, name) ? json : null;
    }

    void IResourceStore.ApplyDocument(string json) => Apply(KubernetesJson.Deserialize<T>(json) ?? throw new FormatException("no object"));

    private void Record(StoredEvent change)
    {
        _history.AddLast(change);
        while (_history.Count > HistoryLimit)
        {
            _compactedThrough = _history.First!.Value.Revision;
            _history.RemoveFirst();
        }
        foreach (Watcher watcher in _watchers)
        {
            SendTo(watcher, change);
        }
    }

    private static void SendTo(Watcher watcher, StoredEvent change)
    {
        V1ObjectMeta current = change.Current.Metadata;
        bool selectsCurrent = watcher.Selects(current.Name, current.NamespaceProperty, current.Labels);
        V1ObjectMeta? previous = change.Previous?.Metadata;
        bool selectedPrevious = previous is not null && watcher.Selects(previous.Name, previous.NamespaceProperty, previous.Labels);
        string? type = change.Type switch
        {
            "DELETED" => selectedPrevious ? "DELETED" : null,
            _ when selectsCurrent && selectedPrevious => "MODIFIED",
            _ when selectsCurrent => "ADDED",
            _ when selectedPrevious => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            watcher.Send(Line(type, change.CurrentJson));
        }
    }

    private void ForEachWatcher(Action<Watcher> action)
    {
        lock (_clock.Gate)
        {
            foreach (Watcher watcher in _watchers)
            {
                action(watcher);
            }
        }
    }

    private static string Line(string type, string objectJson) => $"{{\"type\":\"{type}\",\"object\":{objectJson}}}";

    private static string Key(string? namespaceName, string name) => string.IsNullOrEmpty(namespaceName) ? name : namespaceName + "/" + name;

    private static T Copy(T item) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item));

    private sealed record StoredEvent(long Revision, string Type, T? Previous, T Current, string CurrentJson);
}
