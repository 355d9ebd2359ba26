namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// Which Services and EndpointSlices a service proxy serves, as kube-proxy selects them: one label selector for both
/// kinds (the EndpointSlice controller copies a Service's labels onto its slices, and marks the slices of headless
/// Services with <c>service.kubernetes.io/headless</c>).
/// </summary>
public static class ServiceProxySelectors
{
    /// <summary>The label naming the proxy that serves a Service (<c>service.kubernetes.io/service-proxy-name</c>).</summary>
    public const string ServiceProxyNameLabel = "service.kubernetes.io/service-proxy-name";

    /// <summary>The label the EndpointSlice controller puts on the slices of headless Services (<c>service.kubernetes.io/headless</c>).</summary>
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    /// <summary>The label tying an EndpointSlice to its Service (<c>kubernetes.io/service-name</c>).</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>
    /// The label selector of Services: those whose <c>service.kubernetes.io/service-proxy-name</c> is
    /// <paramref name="serviceProxyName"/>, or, when it is null (replacing kube-proxy), those without the label, as
    /// kube-proxy selects them; never headless ones.
    /// </summary>
    /// <param name="serviceProxyName">This proxy's name, or null to serve what kube-proxy would.</param>
    /// <returns>The selector, e.g. <c>!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless</c>.</returns>
    public static string Services(string? serviceProxyName) =>
        string.IsNullOrEmpty(serviceProxyName)
            ? $"!{ServiceProxyNameLabel},!{HeadlessLabel}"
            : $"{ServiceProxyNameLabel}={serviceProxyName},!{HeadlessLabel}";

    /// <summary>
    /// The label selector of EndpointSlices: the Services' selector (the slices carry their Service's labels), and only
    /// slices that name their Service (others are ignored anyway, so the server need not send them).
    /// </summary>
    /// <param name="serviceProxyName">This proxy's name, or null to serve what kube-proxy would.</param>
    /// <returns>The selector.</returns>
    public static string EndpointSlices(string? serviceProxyName) => $"{Services(serviceProxyName)},{ServiceNameLabel}";

    /// <summary>The field selector of one Node: <c>metadata.name=NAME</c>.</summary>
    /// <param name="nodeName">The node's name.</param>
    /// <returns>The selector.</returns>
    public static string Node(string nodeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        return $"metadata.name={nodeName}";
    }
}
