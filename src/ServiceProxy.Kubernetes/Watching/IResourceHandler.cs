namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// What a <see cref="ResourceInformer{T}"/> tells as its cache changes. One informer never calls its handler
/// concurrently; a <see cref="KubernetesSource"/> also serializes the calls of its three informers.
/// </summary>
/// <typeparam name="T">The resource's type, e.g. <c>V1Service</c>.</typeparam>
public interface IResourceHandler<in T>
{
    /// <summary>An object appeared: created, newly matching, or found by a list.</summary>
    /// <param name="item">The object.</param>
    void OnAdded(T item);

    /// <summary>An object changed (its resourceVersion differs from the cached one).</summary>
    /// <param name="previous">The cached state.</param>
    /// <param name="current">The new state.</param>
    void OnUpdated(T previous, T current);

    /// <summary>An object went away: deleted, no longer matching, or missing from a list after a 410 Gone.</summary>
    /// <param name="item">Its last known state.</param>
    void OnDeleted(T item);

    /// <summary>
    /// A complete list has been handed over (the first one, and each one after a 410 Gone): the handler's view now
    /// equals the server's at the list's resourceVersion.
    /// </summary>
    void OnListed();
}
