using k8s;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>
/// A KubernetesClient for the API server, built from a kubeconfig file or from the pod's service account, with the
/// settings the watches need beside it (the AOT flavour of the client has no watch of its own; see
/// <see cref="KubernetesResourceClient{T}"/>).
/// </summary>
public sealed class KubernetesConnection : IDisposable
{
    private KubernetesConnection(KubernetesClientConfiguration configuration)
    {
        Configuration = configuration;
        Client = new k8s.Kubernetes(configuration);
    }

    /// <summary>The configuration the client was built from.</summary>
    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>The client: its typed list calls, its HttpClient and credentials serve the watches too.</summary>
    public k8s.Kubernetes Client { get; }

    /// <summary>A connection as a kubeconfig file describes it.</summary>
    /// <param name="kubeconfigPath">The kubeconfig file.</param>
    /// <param name="context">The context to use; the file's current context when null.</param>
    /// <returns>The connection.</returns>
    public static KubernetesConnection FromKubeconfig(string kubeconfigPath, string? context = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kubeconfigPath);
        return new KubernetesConnection(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, context));
    }

    /// <summary>
    /// The connection of a pod: the service account's token and CA from
    /// <c>/var/run/secrets/kubernetes.io/serviceaccount</c>, the server from KUBERNETES_SERVICE_HOST and _PORT.
    /// </summary>
    /// <returns>The connection.</returns>
    public static KubernetesConnection InCluster() => new(KubernetesClientConfiguration.InClusterConfig());

    /// <summary>A connection from a configuration built by the caller (a test server's address, for instance).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The connection.</returns>
    public static KubernetesConnection FromConfiguration(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new KubernetesConnection(configuration);
    }

    /// <summary>From a kubeconfig file when a path is given, otherwise from the pod's service account.</summary>
    /// <param name="kubeconfigPath">The kubeconfig file, or null inside a cluster.</param>
    /// <returns>The connection.</returns>
    public static KubernetesConnection Create(string? kubeconfigPath) =>
        string.IsNullOrEmpty(kubeconfigPath) ? InCluster() : FromKubeconfig(kubeconfigPath);

    /// <summary>Disposes the client and its HTTP connections.</summary>
    public void Dispose() => Client.Dispose();
}
