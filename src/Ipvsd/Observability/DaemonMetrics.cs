using Netlink.Ipvs;
using Prometheus;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;

namespace Ipvsd.Observability;

/// <summary>
/// ipvsd's Prometheus metrics (prometheus-net; names after kube-proxy's where it has one, prefixed ipvsd_), updated
/// by the sync loop after each sync.
/// </summary>
internal sealed class DaemonMetrics
{
    private readonly Histogram _syncDuration;
    private readonly Gauge _lastSuccess;
    private readonly Gauge _services;
    private readonly Gauge _realServers;
    private readonly Gauge _draining;
    private readonly Counter _changes;
    private readonly Counter _syncErrors;
    private readonly Counter _driftRepairs;
    private readonly Counter _configErrors;
    private readonly Gauge _health;

    public DaemonMetrics(CollectorRegistry registry)
    {
        MetricFactory metrics = Metrics.WithCustomRegistry(registry);
        _syncDuration = metrics.CreateHistogram("ipvsd_sync_duration_seconds", "How long syncs took, by kind (full reads the whole kernel table).",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        _lastSuccess = metrics.CreateGauge("ipvsd_last_successful_sync_timestamp_seconds", "When the last sync that finished ended (Unix time).");
        _services = metrics.CreateGauge("ipvsd_virtual_services", "Virtual services desired.");
        _realServers = metrics.CreateGauge("ipvsd_real_servers", "Real servers desired, over all services.");
        _draining = metrics.CreateGauge("ipvsd_real_servers_draining", "Removed real servers kept at weight 0 until their connections end.");
        _changes = metrics.CreateCounter("ipvsd_changes_applied_total", "IPVS changes applied, by kind.",
            new CounterConfiguration { LabelNames = ["kind"] });
        _syncErrors = metrics.CreateCounter("ipvsd_sync_errors_total", "Syncs that did not finish.");
        _driftRepairs = metrics.CreateCounter("ipvsd_drift_repairs_total", "Changes made behind ipvsd's back that a full sync found and put back.");
        _configErrors = metrics.CreateCounter("ipvsd_configuration_errors_total", "Configuration or service file changes refused as invalid.");
        _health = metrics.CreateGauge("ipvsd_real_server_healthy", "Health-check state per real server (1 healthy, 0 failed).",
            new GaugeConfiguration { LabelNames = ["service", "real_server"] });
        foreach (string kind in KindNames)
        {
            _changes.WithLabels(kind);
        }
    }

    private static readonly string[] KindNames = ["add_service", "update_service", "delete_service", "add_real_server", "update_real_server", "delete_real_server", "update_timeouts"];

    public void ConfigurationError() => _configErrors.Inc();

    public void Record(SyncReport report, ServiceReconciler reconciler, DateTimeOffset now)
    {
        _syncDuration.WithLabels(report.Kind == SyncKind.Full ? "full" : "incremental").Observe(report.Duration.TotalSeconds);
        foreach (ServiceTableChange change in report.Changes)
        {
            _changes.WithLabels(KindName(change.Kind)).Inc();
        }
        if (report.TimeoutsChanged)
        {
            _changes.WithLabels("update_timeouts").Inc();
        }
        _driftRepairs.Inc(report.DriftRepairs);
        if (report.Succeeded)
        {
            _lastSuccess.Set(now.ToUnixTimeMilliseconds() / 1000.0);
        }
        else
        {
            _syncErrors.Inc();
        }
        _services.Set(reconciler.ServiceCount);
        _realServers.Set(reconciler.RealServerCount);
        _draining.Set(reconciler.DrainingCount);
    }

    public void SetHealth(string service, string realServer, bool healthy) => _health.WithLabels(service, realServer).Set(healthy ? 1 : 0);

    public void RemoveHealth(string service, string realServer) => _health.RemoveLabelled(service, realServer);

    private static string KindName(IpvsOperationKind kind) => kind switch
    {
        IpvsOperationKind.AddService => "add_service",
        IpvsOperationKind.UpdateService => "update_service",
        IpvsOperationKind.DeleteService => "delete_service",
        IpvsOperationKind.AddRealServer => "add_real_server",
        IpvsOperationKind.UpdateRealServer => "update_real_server",
        _ => "delete_real_server",
    };
}
