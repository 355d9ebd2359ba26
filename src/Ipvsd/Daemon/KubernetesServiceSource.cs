using Microsoft.Extensions.Logging;
using Netlink.Route;
using ServiceProxy.Kubernetes.Health;
using ServiceProxy.Kubernetes.Reconciling;
using ServiceProxy.Kubernetes.Translation;
using ServiceProxy.Kubernetes.Watching;
using ServiceProxy.Reconciling;

namespace Ipvsd.Daemon;

/// <summary>
/// The desired services from the Kubernetes API: the source's informers feed <see cref="KubernetesStateUpdates"/> on
/// their threads and wake the loop; the loop hands what accumulated to the reconciler. Nothing is taken before the
/// first complete lists of Services and EndpointSlices, so a start never takes down what a previous run left serving.
/// </summary>
internal sealed partial class KubernetesServiceSource(
    KubernetesSource source, KubernetesStateUpdates updates, ReconcilerFeed feed, IRouteClient route, HealthCheckNodePortServer? healthChecks, ILogger logger)
    : IServiceSource, IDisposable
{
    private bool _ready;

    public KubernetesStateUpdates Updates => updates;

    public bool WaitUntilReady(CancellationToken cancellation)
    {
        if (!_ready)
        {
            LogWaiting(logger);
            try
            {
                source.WaitUntilReadyAsync(cancellation).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            _ready = true;
            LogListed(logger, updates.ServiceCount);
        }
        return true;
    }

    public DateTimeOffset? PendingAt(DateTimeOffset now) => _ready && updates.HasChanges ? now : null;

    public void Dispose() => healthChecks?.Dispose();

    public bool TakeInto(ServiceReconciler reconciler)
    {
        if (!_ready)
        {
            return false;
        }
        DesiredStateChanges changes = updates.TakeAndApply(feed);
        // called with no change too: a port that was busy is tried again
        healthChecks?.Apply(changes.HealthCheckNodePorts);
        foreach (string problem in changes.Problems)
        {
            LogProblem(logger, problem);
        }
        foreach (ServiceConflict conflict in changes.Conflicts)
        {
            LogConflict(logger, conflict.ToString());
        }
        if (changes.Changed.Count + changes.Removed.Count > 0)
        {
            LogDesiredChanged(logger, changes.Changed.Count, changes.Removed.Count);
        }
        return false;
    }

    /// <summary>Node addresses come and go without an API event (DHCP, a second NIC): node ports follow them at each full sync.</summary>
    public void BeforeFullSync()
    {
        try
        {
            if (updates.SetLocalAddresses(HostAddresses.Read(route)))
            {
                LogAddressesChanged(logger);
            }
        }
        catch (Netlink.NetlinkException e)
        {
            LogAddressesUnread(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "waiting for the first lists of Services and EndpointSlices from the API server")]
    private static partial void LogWaiting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Services and EndpointSlices listed: {Services} Services served")]
    private static partial void LogListed(ILogger logger, int services);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "conflict: {Conflict}")]
    private static partial void LogConflict(ILogger logger, string conflict);

    [LoggerMessage(Level = LogLevel.Information, Message = "desired table changed: {Changed} virtual servers added or changed, {Removed} removed (Kubernetes)")]
    private static partial void LogDesiredChanged(ILogger logger, int changed, int removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "the node's addresses changed: node ports follow")]
    private static partial void LogAddressesChanged(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot read the node's addresses: {Reason}")]
    private static partial void LogAddressesUnread(ILogger logger, string reason);
}
