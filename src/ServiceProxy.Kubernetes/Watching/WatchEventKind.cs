namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// The kind of one event of a watch (the <c>type</c> of a Kubernetes <c>WatchEvent</c>). ERROR events are not among
/// them: a watch reports those by throwing <see cref="KubernetesApiException"/>, as they always end the watch.
/// </summary>
public enum WatchEventKind
{
    /// <summary><c>ADDED</c>: the object was created, or is one of the objects a watch from "0" starts with.</summary>
    Added,

    /// <summary><c>MODIFIED</c>: the object changed.</summary>
    Modified,

    /// <summary><c>DELETED</c>: the object was deleted (or no longer matches the selector); it carries its last state.</summary>
    Deleted,

    /// <summary><c>BOOKMARK</c>: nothing changed; the object carries only <c>metadata.resourceVersion</c>, a point to watch from.</summary>
    Bookmark,
}
