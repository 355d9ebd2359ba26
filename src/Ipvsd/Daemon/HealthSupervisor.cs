using System.Net;
using Ipvsd.Observability;
using Netlink.Ipvs;
using ServiceProxy.Health;
using ServiceProxy.Model;
using ServiceProxy.Reconciling;

namespace Ipvsd.Daemon;

/// <summary>
/// Runs the health checks the desired services ask for and hands their results to the reconciler: a transition
/// wakes the sync loop for that service only; the reconciler asks <see cref="IsHealthy"/> while planning it.
/// Without a monitor (--once, --dry-run, --cleanup) every real server counts as healthy.
/// </summary>
internal sealed class HealthSupervisor : IRealServerHealth, IDisposable
{
    private readonly HealthMonitor? _monitor;
    private readonly Dictionary<VirtualServiceKey, List<HealthTarget>> _targets = [];
    private readonly HashSet<(string Service, string RealServer)> _published = [];

    public HealthSupervisor(HealthMonitor? monitor, DaemonEvents events)
    {
        _monitor = monitor;
        if (monitor is not null)
        {
            monitor.StateChanged += transition => events.HealthChanged(transition.Target.Service);
        }
    }

    public bool IsHealthy(VirtualServiceKey service, IPAddress address, ushort port) =>
        _monitor is null || _monitor.StateOf(service, address, port) == HealthState.Healthy;

    /// <summary>Follows a change of the desired table; costs work only when a service with a check changed.</summary>
    public void Update(ModelFilesUpdate update, ServiceReconciler reconciler)
    {
        bool changed = false;
        foreach (VirtualServiceKey key in update.Removed)
        {
            changed |= _targets.Remove(key);
        }
        foreach (var service in update.Changed)
        {
            VirtualServiceKey key = service.Service.Key;
            if (service.HealthCheck is { } check)
            {
                _targets[key] = [.. service.RealServers.Select(r => new HealthTarget(key, r.Address, r.Port, check))];
                changed = true;
            }
            else
            {
                changed |= _targets.Remove(key);
            }
        }
        if (changed && _monitor is not null)
        {
            _monitor.SetTargets(_targets.Values.SelectMany(targets => targets));
        }
    }

    /// <summary>Sets the per-real-server health gauges (and drops those of targets gone).</summary>
    public void Publish(DaemonMetrics metrics)
    {
        if (_monitor is null || (_targets.Count == 0 && _published.Count == 0))
        {
            return;
        }
        var now = new HashSet<(string, string)>();
        foreach ((HealthTarget target, HealthState state) in _monitor.Snapshot())
        {
            string service = target.Service.ToString();
            now.Add((service, target.RealServer));
            metrics.SetHealth(service, target.RealServer, state == HealthState.Healthy);
        }
        foreach ((string service, string realServer) in _published.Except(now))
        {
            metrics.RemoveHealth(service, realServer);
        }
        _published.Clear();
        _published.UnionWith(now);
    }

    public void Dispose() => _monitor?.Dispose();
}
