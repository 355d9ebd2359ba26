namespace ServiceProxy.Kubernetes.Watching;

/// <summary>What a <see cref="KubernetesSource"/> watches and how.</summary>
public sealed class KubernetesSourceOptions
{
    /// <summary>This node's name (its Node object is watched, for its addresses, labels and zone).</summary>
    public required string NodeName { get; init; }

    /// <summary>
    /// This proxy's name: the Services labelled <c>service.kubernetes.io/service-proxy-name</c> with it are served.
    /// Null to replace kube-proxy: every Service without that label is served.
    /// </summary>
    public string? ServiceProxyName { get; init; }

    /// <summary>The informers' backoff.</summary>
    public InformerOptions Informer { get; init; } = new();

    /// <summary>The watches' timeouts.</summary>
    public KubernetesWatchOptions Watch { get; init; } = new();
}
