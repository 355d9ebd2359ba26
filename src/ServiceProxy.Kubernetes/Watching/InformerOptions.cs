namespace ServiceProxy.Kubernetes.Watching;

/// <summary>How a <see cref="ResourceInformer{T}"/> retries.</summary>
public sealed class InformerOptions
{
    /// <summary>The delay after the first failure of a list or watch (client-go's reflector: 800 ms).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of the delay between retries (client-go's reflector: 30 s).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The fraction a delay may be shortened by at random, so that nodes do not retry in step.</summary>
    public double BackoffJitter { get; init; } = 0.5;

    /// <summary>
    /// A watch that ends sooner than this with no event counts as a failure and waits its backoff before the next
    /// one: a server that closes every watch at once would otherwise be asked again in a tight loop.
    /// </summary>
    public TimeSpan MinimumWatchDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The source of jitter; a shared one when null.</summary>
    public Random? Random { get; init; }
}
