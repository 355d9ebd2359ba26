namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// List and watch of one kind of object with one selector: the two calls a <see cref="ResourceInformer{T}"/> makes,
/// behind an interface so that the informer's logic is tested without a server. <see cref="KubernetesResourceClient{T}"/>
/// is the one over the API server.
/// </summary>
/// <typeparam name="T">The resource's type, e.g. <c>V1Service</c>.</typeparam>
public interface IResourceClient<T>
{
    /// <summary>The kind's name for logs, e.g. "services".</summary>
    string Kind { get; }

    /// <summary>Lists every object the selector matches, as of now (a consistent read).</summary>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The objects and the list's resourceVersion.</returns>
    /// <exception cref="KubernetesApiException">The server answered with an error status.</exception>
    Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Watches the objects the selector matches, starting exactly after <paramref name="resourceVersion"/>, with
    /// bookmarks allowed. The sequence ends when the watch ends without an error: the server's timeout, a closed or
    /// dropped connection.
    /// </summary>
    /// <param name="resourceVersion">The last resourceVersion seen (from a list, an event or a bookmark).</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>ADDED, MODIFIED, DELETED and BOOKMARK events in the server's order.</returns>
    /// <exception cref="KubernetesApiException">
    /// The server refused the watch with an error status, or sent an ERROR event; 410 Gone (either way) means
    /// <paramref name="resourceVersion"/> is too old and the caller must list again.
    /// </exception>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync(string resourceVersion, CancellationToken cancellationToken);
}
