using Ipvsd.Configuration;
using Ipvsd.Daemon;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Ipvsd.Observability;

/// <summary>/metrics (prometheus-net's HttpListener server) and /healthz, on the configured addresses; started first, so both answer during a long first sync.</summary>
internal sealed partial class Endpoints(DaemonConfig config, SyncLoop loop, ILogger<Endpoints> logger) : IHostedService, IDisposable
{
    private MetricServer? _metrics;
    private HealthEndpoint? _health;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (config.MetricsAddress is { } metricsAt)
        {
            _metrics = new MetricServer(HealthEndpoint.Host(metricsAt), metricsAt.Port, "metrics/");
            _metrics.Start();
            LogListening(logger, "metrics", metricsAt, "/metrics");
        }
        if (config.HealthAddress is { } healthAt)
        {
            _health = new HealthEndpoint(healthAt, config.SyncPeriod, () => loop.LastSuccess, TimeProvider.System);
            _health.Start();
            LogListening(logger, "health", healthAt, "/healthz");
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_metrics is not null)
        {
            await _metrics.StopAsync().ConfigureAwait(false);
        }
        _health?.Dispose();
    }

    public void Dispose()
    {
        _metrics?.Dispose();
        _health?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{What} at http://{Address}{Path}")]
    private static partial void LogListening(ILogger logger, string what, System.Net.IPEndPoint address, string path);
}
