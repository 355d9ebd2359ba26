namespace KubernetesTestServer;

/// <summary>One request the server answered, for tests to count lists and watches and to see where a watch started.</summary>
/// <param name="Method">GET, POST, PUT or DELETE.</param>
/// <param name="Resource">The resource: "services", "endpointslices", "nodes".</param>
/// <param name="Watch">True for a watch (<c>watch=true</c>), false for a list or any other request.</param>
/// <param name="ResourceVersion">The <c>resourceVersion</c> parameter, if given.</param>
/// <param name="LabelSelector">The <c>labelSelector</c> parameter, if given.</param>
/// <param name="FieldSelector">The <c>fieldSelector</c> parameter, if given.</param>
/// <param name="AllowWatchBookmarks">The <c>allowWatchBookmarks</c> parameter.</param>
/// <param name="TimeoutSeconds">The <c>timeoutSeconds</c> parameter, if given.</param>
/// <param name="Namespace">The namespace of a namespaced path, or null for a cluster-wide one.</param>
public sealed record ApiRequest(
    string Method,
    string Resource,
    bool Watch,
    string? ResourceVersion,
    string? LabelSelector,
    string? FieldSelector,
    bool AllowWatchBookmarks,
    int? TimeoutSeconds,
    string? Namespace)
{
    /// <summary>True for a GET of a collection that is not a watch.</summary>
    public bool IsList { get; init; }

    /// <summary>The request's Authorization header, if it had one (the server checks none; tests check the client sent it).</summary>
    public string? Authorization { get; init; }
}
