using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServiceProxy.Kubernetes.Translation;

namespace ServiceProxy.Kubernetes.Health;

/// <summary>
/// Serves the health check node ports of LoadBalancer Services with externalTrafficPolicy Local, as kube-proxy does,
/// so that the cloud load balancer sends their traffic only to nodes with local endpoints: on each port, HTTP 200 while
/// the Service has local endpoints and the proxy is healthy, else 503, with kube-proxy's headers and JSON body, to any
/// path, method and Host. One listener per Service, opened, closed and updated as <see cref="Apply"/> or
/// <see cref="Set"/> says; a port that cannot be opened (another process has it) is logged and tried again on the next
/// <see cref="Apply"/> or <see cref="Set"/>, and load balancers see the node as down for that Service meanwhile.
/// Thread-safe: the changes may come from one thread while requests are answered on others.
/// </summary>
public sealed class HealthCheckNodePortServer : IDisposable, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly IPAddress[] _addresses;
    private readonly string _addressText;
    private readonly ILogger _logger;
    private readonly Func<bool>? _proxyHealthyProbe;
    private readonly Func<bool> _isProxyHealthy;
    private readonly Dictionary<ServiceName, HealthCheckNodePort> _wanted = [];
    private readonly Dictionary<ServiceName, HealthCheckPortListener> _open = [];
    private readonly Dictionary<ServiceName, (ushort Port, int Attempts)> _failures = [];
    private readonly List<Task> _closing = [];
    private volatile bool _proxyHealthy = true;
    private bool _disposed;

    /// <summary>
    /// A server that opens no port until told to.
    /// </summary>
    /// <param name="addresses">
    /// Where the ports listen: kube-proxy listens on the node-port addresses when --nodeport-addresses is set
    /// (<see cref="ProxyNode.NodePortAddresses"/>), and on every address (IPv4 and IPv6) when it is not: pass null or
    /// an empty list for that.
    /// </param>
    /// <param name="logger">Where opening failures and their recovery are logged.</param>
    /// <param name="proxyHealthy">
    /// Asked on every request, as kube-proxy asks its /healthz state: whether the proxy keeps the node's rules in step
    /// (for ipvsd, syncs succeeding). Null: only <see cref="SetProxyHealthy"/> decides. Must be quick and must not throw.
    /// </param>
    public HealthCheckNodePortServer(IReadOnlyList<IPAddress>? addresses = null, ILogger<HealthCheckNodePortServer>? logger = null, Func<bool>? proxyHealthy = null)
    {
        _addresses = [.. (addresses ?? []).Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Distinct()];
        _addressText = _addresses.Length == 0 ? "every address" : string.Join(", ", _addresses.Select(a => a.ToString()));
        _logger = logger ?? NullLogger<HealthCheckNodePortServer>.Instance;
        _proxyHealthyProbe = proxyHealthy;
        _isProxyHealthy = IsProxyHealthy;
    }

    /// <summary>
    /// Whether the proxy counts as healthy in the answers: the last <see cref="SetProxyHealthy"/> (true until called:
    /// kube-proxy is healthy while it starts) and the probe given to the constructor.
    /// </summary>
    public bool ProxyHealthy => IsProxyHealthy();

    /// <summary>The Services whose port is open now, with the port: those wanted and not here wait for a retry.</summary>
    public IReadOnlyDictionary<ServiceName, ushort> Listening
    {
        get
        {
            lock (_lock)
            {
                return _open.ToDictionary(o => o.Key, o => o.Value.Port);
            }
        }
    }

    /// <summary>
    /// Applies what changed (<see cref="DesiredStateChanges.HealthCheckNodePorts"/>): a port that appeared is opened, one
    /// that went is closed, one that moved is closed and opened again, a new count is answered from now on; then every
    /// port that could not be opened before is tried again. Never throws for a port it cannot open.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The server is disposed.</exception>
    public void Apply(IReadOnlyList<HealthCheckNodePortChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (HealthCheckNodePortChange change in changes)
            {
                ArgumentNullException.ThrowIfNull(change);
                if (change.Now is { } now)
                {
                    _wanted[change.Service] = now;
                }
                else
                {
                    _wanted.Remove(change.Service);
                }
            }
            Converge();
        }
    }

    /// <summary>
    /// Makes the served ports exactly <paramref name="ports"/> (<see cref="KubernetesDesiredState.HealthCheckNodePorts"/>),
    /// as <see cref="Apply"/> does for changes: for a first sync, or to start over.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The server is disposed.</exception>
    public void Set(IReadOnlyDictionary<ServiceName, HealthCheckNodePort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _wanted.Clear();
            foreach ((ServiceName service, HealthCheckNodePort port) in ports)
            {
                ArgumentNullException.ThrowIfNull(port);
                _wanted[service] = port;
            }
            Converge();
        }
    }

    /// <summary>
    /// Whether the proxy is healthy: while it is not, every port answers 503 with "serviceProxyHealthy": false, so load
    /// balancers move traffic off a node whose rules may be stale.
    /// </summary>
    public void SetProxyHealthy(bool healthy) => _proxyHealthy = healthy;

    /// <summary>Closes every port at once.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _wanted.Clear();
            Converge();
        }
    }

    /// <summary>Closes every port, and waits until no listener accepts any more.</summary>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        Task[] closing;
        lock (_lock)
        {
            closing = [.. _closing];
            _closing.Clear();
        }
        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    private bool IsProxyHealthy() => _proxyHealthy && (_proxyHealthyProbe?.Invoke() ?? true);

    /// <summary>Closes first, so that a port one Service gave up is free for the Service that takes it in the same change.</summary>
    private void Converge()
    {
        foreach ((ServiceName service, HealthCheckPortListener listener) in _open.ToArray())
        {
            if (_wanted.TryGetValue(service, out HealthCheckNodePort? wanted) && wanted.Port == listener.Port)
            {
                listener.LocalEndpoints = wanted.LocalEndpoints;
                continue;
            }
            Close(service, listener);
        }
        foreach (ServiceName service in _failures.Keys.Where(s => !_wanted.ContainsKey(s)).ToArray())
        {
            _failures.Remove(service);
        }
        foreach ((ServiceName service, HealthCheckNodePort wanted) in _wanted)
        {
            if (!_open.ContainsKey(service))
            {
                TryOpen(service, wanted);
            }
        }
    }

    private void TryOpen(ServiceName service, HealthCheckNodePort wanted)
    {
        int failedBefore = _failures.TryGetValue(service, out (ushort Port, int Attempts) failure) && failure.Port == wanted.Port ? failure.Attempts : 0;
        try
        {
            _open[service] = HealthCheckPortListener.Open(service, wanted, _addresses, _isProxyHealthy, _logger);
        }
        catch (SocketException e)
        {
            int attempts = failedBefore + 1;
            _failures[service] = (wanted.Port, attempts);
            // Said loudly once; every retry after it would repeat the same line at each change.
            HealthCheckNodePortLog.OpenFailed(_logger, attempts == 1 ? LogLevel.Warning : LogLevel.Debug, service, wanted.Port, attempts, e.Message);
            return;
        }
        _failures.Remove(service);
        if (failedBefore > 0)
        {
            HealthCheckNodePortLog.Recovered(_logger, service, wanted.Port, failedBefore);
        }
        else
        {
            HealthCheckNodePortLog.Opened(_logger, service, wanted.Port, _addressText);
        }
    }

    private void Close(ServiceName service, HealthCheckPortListener listener)
    {
        listener.Dispose();
        _open.Remove(service);
        _closing.RemoveAll(t => t.IsCompleted);
        _closing.Add(listener.Stopped);
        HealthCheckNodePortLog.Closed(_logger, service, listener.Port);
    }
}
