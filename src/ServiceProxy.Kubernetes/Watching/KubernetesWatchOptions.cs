namespace ServiceProxy.Kubernetes.Watching;

/// <summary>How <see cref="KubernetesResourceClient{T}"/> asks for watches.</summary>
public sealed class KubernetesWatchOptions
{
    /// <summary>
    /// The shortest server-side timeout of a watch (<c>timeoutSeconds</c>); each watch asks for a random one between this
    /// and twice this, so that the watches of many nodes do not end together (client-go: 5 minutes).
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long past its timeout a watch may stay silent before the client gives up on it: a connection that died
    /// without a reset (a node's network, a NAT) would otherwise leave the watch waiting forever.
    /// </summary>
    public TimeSpan TimeoutGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The source of the timeouts' randomness; a shared one when null.</summary>
    public Random? Random { get; init; }
}
