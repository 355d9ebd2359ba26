using System.Diagnostics.CodeAnalysis;
using Ipvsd.Configuration;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;
using ServiceProxy.Kubernetes.Health;
using ServiceProxy.Kubernetes.Reconciling;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Kubernetes.Watching;

namespace Ipvsd.Daemon;

/// <summary>
/// The Kubernetes side of one ipvsd run: the API connection, the informers of Services, EndpointSlices and this Node
/// (running on the thread pool from <see cref="Start"/> until disposed), and the <see cref="KubernetesServiceSource"/>
/// the sync loop takes their changes from.
/// </summary>
internal sealed class KubernetesFollower : IDisposable
{
    private readonly KubernetesConnection _connection;
    private readonly KubernetesSource _source;
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    private KubernetesFollower(KubernetesConnection connection, KubernetesSource source, KubernetesServiceSource serviceSource)
    {
        _connection = connection;
        _source = source;
        Source = serviceSource;
    }

    public KubernetesServiceSource Source { get; }

    /// <summary>Connects (nothing is sent before <see cref="Start"/>); false with one line naming the problem and the fix.</summary>
    /// <param name="proxyHealthy">
    /// When serving: whether syncs keep the node in step, which the health check node ports report. Null (--once,
    /// --dry-run): no health check node port is served.
    /// </param>
    public static bool TryCreate(DaemonConfig config, KubernetesConfig kubernetes, NodeSession session, Action changed, ILoggerFactory loggers,
        Func<bool>? proxyHealthy, [NotNullWhen(true)] out KubernetesFollower? follower, [NotNullWhen(false)] out string? problem)
    {
        follower = null;
        KubernetesConnection connection;
        try
        {
            connection = KubernetesConnection.Create(kubernetes.Kubeconfig);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException)
        {
            problem = kubernetes.Kubeconfig is null
                ? $"cannot use the pod's service account ({e.Message}): outside a pod, give kubernetes.kubeconfig in {config.Path}"
                : $"cannot use the kubeconfig {kubernetes.Kubeconfig}: {e.Message}: fix the file or kubernetes.kubeconfig in {config.Path}";
            return false;
        }
        var options = new KubernetesProxyOptions
        {
            NodeName = kubernetes.NodeName,
            ServiceProxyName = kubernetes.ServiceProxyName,
            Scheduler = kubernetes.Scheduler,
            NodePortCidrs = kubernetes.NodePortAddresses,
            MasqueradeAll = config.MasqueradeAll,
            ClusterCidrs = config.ClusterCidrs,
        };
        var updates = new KubernetesStateUpdates(options, HostAddresses.Read(session.Route), config.Interface, changed);
        var feed = new ReconcilerFeed(updates.State, session.Reconciler, NodeSession.RuleTemplate(config));
        KubernetesSource source = KubernetesSource.Create(connection,
            new KubernetesSourceOptions { NodeName = kubernetes.NodeName, ServiceProxyName = kubernetes.ServiceProxyName },
            updates.Handlers, loggerFactory: loggers);
        // kube-proxy listens on the node port addresses when they are configured, else on every address
        HealthCheckNodePortServer? healthChecks = proxyHealthy is null ? null : new HealthCheckNodePortServer(
            kubernetes.NodePortAddresses.Count > 0 ? updates.State.Node.NodePortAddresses : null,
            loggers.CreateLogger<HealthCheckNodePortServer>(), proxyHealthy);
        follower = new KubernetesFollower(connection, source,
            new KubernetesServiceSource(source, updates, feed, session.Route, healthChecks, loggers.CreateLogger<KubernetesServiceSource>()));
        problem = null;
        return true;
    }

    /// <summary>Starts listing and watching.</summary>
    public void Start() => _running = Task.Run(() => _source.RunAsync(_stop.Token));

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _running?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the informers end with the cancellation; what else they met they have logged
        }
        _connection.Dispose();
        Source.Dispose();
        _stop.Dispose();
    }
}
