namespace ServiceProxy.Kubernetes.Watching;

/// <summary>One event of a watch (a Kubernetes <c>WatchEvent</c>): its kind and the object it carries.</summary>
/// <typeparam name="T">The resource's type, e.g. <c>V1Service</c>.</typeparam>
/// <param name="Kind">ADDED, MODIFIED, DELETED or BOOKMARK.</param>
/// <param name="Item">The event's <c>object</c>; for a bookmark, one with nothing but <c>metadata.resourceVersion</c>.</param>
public readonly record struct WatchEvent<T>(WatchEventKind Kind, T Item);
