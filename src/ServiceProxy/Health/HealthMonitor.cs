using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Netlink.Ipvs;

namespace ServiceProxy.Health;

/// <summary>
/// Checks real servers as keepalived does: each target's probe runs at once and then every
/// <see cref="HealthCheck.Interval"/>, one probe in flight per target at a time; a target starts
/// <see cref="HealthState.Healthy"/> (so starting the daemon blacks out no service), <see cref="HealthCheck.Fall"/>
/// failures in a row make it <see cref="HealthState.Unhealthy"/>, then <see cref="HealthCheck.Rise"/> passes in a row
/// make it healthy again. A probe that throws counts as a failure with the exception's message; one that has not
/// answered one second after its timeout counts as a failure then, and is cancelled.
/// </summary>
/// <remarks>Thread-safe. Each transition is logged (warning when a real server goes out, information when it comes
/// back) and raised as <see cref="StateChanged"/>.</remarks>
public sealed class HealthMonitor : IAsyncDisposable, IDisposable
{
    private readonly Lock _lock = new();
    private readonly IHealthProbe _probe;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<(VirtualServiceKey Service, IPAddress Address, ushort Port), MonitoredTarget> _targets = [];
    private readonly Channel<HealthTransition> _transitions = Channel.CreateUnbounded<HealthTransition>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<MonitoredTarget> _stopping = [];
    private readonly Task _delivering;
    private bool _disposed;

    /// <summary>Creates a monitor with no targets; <see cref="SetTargets"/> gives it some.</summary>
    /// <param name="probe">Checks one target once: <see cref="NetworkHealthProbe"/>, or a test's own.</param>
    /// <param name="time">The clock of the intervals and deadlines: <see cref="TimeProvider.System"/>, or a test's fake.</param>
    /// <param name="logger">Where transitions are logged (and, at debug level, each failed check); none when null.</param>
    public HealthMonitor(IHealthProbe probe, TimeProvider time, ILogger<HealthMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(time);
        _probe = probe;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _delivering = Task.Run(DeliverTransitionsAsync);
    }

    /// <summary>
    /// Raised after a target's state changed, on a thread-pool thread, one transition at a time and in the order they
    /// happened; never while the monitor holds a lock, so a handler may call back into it. A handler that throws is
    /// logged and the next transitions are still raised.
    /// </summary>
    public event Action<HealthTransition>? StateChanged;

    /// <summary>Raised after each probe has returned and its result was counted; tests wait on it instead of sleeping.</summary>
    internal event Action<HealthTarget>? ProbeFinished;

    /// <summary>
    /// Replaces the set of targets. A new target starts <see cref="HealthState.Healthy"/> and is probed at once; a target
    /// not in <paramref name="targets"/> stops (its running probe is cancelled, its result not counted); a target equal to
    /// one already checked (same service, address, port and check settings) keeps its state and counts; a target whose
    /// check changed starts over, healthy.
    /// </summary>
    /// <exception cref="ArgumentException">A real server of a service is listed twice.</exception>
    /// <exception cref="ObjectDisposedException">The monitor was disposed.</exception>
    public void SetTargets(IEnumerable<HealthTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var wanted = new Dictionary<(VirtualServiceKey, IPAddress, ushort), HealthTarget>();
        foreach (HealthTarget target in targets)
        {
            ArgumentNullException.ThrowIfNull(target, nameof(targets));
            if (!wanted.TryAdd(KeyOf(target), target))
            {
                throw new ArgumentException($"{target} is listed twice", nameof(targets));
            }
        }

        var stopped = new List<MonitoredTarget>();
        var started = new List<MonitoredTarget>();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (((VirtualServiceKey, IPAddress, ushort) key, MonitoredTarget current) in _targets)
            {
                if (!wanted.TryGetValue(key, out HealthTarget? target) || target != current.Target)
                {
                    stopped.Add(current);
                }
            }
            foreach (MonitoredTarget target in stopped)
            {
                _targets.Remove(KeyOf(target.Target));
                _stopping.Add(target);
            }
            foreach (((VirtualServiceKey, IPAddress, ushort) key, HealthTarget target) in wanted)
            {
                if (!_targets.ContainsKey(key))
                {
                    var monitored = new MonitoredTarget(target, _probe, _time, OnCounted, OnProbeFinished);
                    _targets.Add(key, monitored);
                    started.Add(monitored);
                }
            }
        }
        // Outside the lock: stopping cancels probes (their code runs) and a fake clock probes inside Start.
        foreach (MonitoredTarget target in stopped)
        {
            target.Dispose();
            _ = ForgetWhenIdleAsync(target);
        }
        foreach (MonitoredTarget target in started)
        {
            target.Start();
        }
    }

    /// <summary>The state of a service's real server; <see cref="HealthState.Healthy"/> when it is not a target.</summary>
    /// <param name="service">The virtual service.</param>
    /// <param name="address">The real server's address.</param>
    /// <param name="port">The real server's port (<see cref="HealthTarget.Port"/>, not the port the check probes).</param>
    public HealthState StateOf(VirtualServiceKey service, IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(address);
        MonitoredTarget? target;
        lock (_lock)
        {
            _targets.TryGetValue((service, address, port), out target);
        }
        return target?.State ?? HealthState.Healthy;
    }

    /// <summary>Every target with its state now, for metrics; empty after disposal.</summary>
    public IReadOnlyList<(HealthTarget Target, HealthState State)> Snapshot()
    {
        MonitoredTarget[] targets;
        lock (_lock)
        {
            targets = [.. _targets.Values];
        }
        return [.. targets.Select(t => (t.Target, t.State))];
    }

    /// <summary>Stops every check and cancels running probes, without waiting for them; transitions already queued are still raised.</summary>
    public void Dispose() => StopAll();

    /// <summary>
    /// Stops every check, cancels running probes (also those of targets removed before) and waits for them to return,
    /// then for the <see cref="StateChanged"/> handlers of the transitions before.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        MonitoredTarget[] targets = StopAll();
        await Task.WhenAll(targets.Select(t => t.WhenIdle())).ConfigureAwait(false);
        await _delivering.ConfigureAwait(false);
    }

    private static (VirtualServiceKey, IPAddress, ushort) KeyOf(HealthTarget target) => (target.Service, target.Address, target.Port);

    /// <summary>A stopped target is kept until its cancelled probe returns, so that DisposeAsync waits for that one too.</summary>
    private async Task ForgetWhenIdleAsync(MonitoredTarget stopped)
    {
        await stopped.WhenIdle().ConfigureAwait(false);
        lock (_lock)
        {
            _stopping.Remove(stopped);
        }
    }

    private MonitoredTarget[] StopAll()
    {
        MonitoredTarget[] targets;
        lock (_lock)
        {
            if (_disposed)
            {
                return [];
            }
            _disposed = true;
            targets = [.. _targets.Values, .. _stopping];
            _targets.Clear();
            _stopping.Clear();
        }
        foreach (MonitoredTarget target in targets)
        {
            target.Dispose();
        }
        // Stopped targets count nothing more, so no transition can follow this.
        _transitions.Writer.TryComplete();
        return targets;
    }

    private void OnCounted(MonitoredTarget monitored, HealthProbeResult result, HealthState? changedTo)
    {
        HealthTarget target = monitored.Target;
        if (!result.Healthy)
        {
            HealthMonitorLog.CheckFailed(_logger, target, result.Detail);
        }
        if (changedTo is HealthState state)
        {
            HealthMonitorLog.StateChanged(_logger, state == HealthState.Healthy ? LogLevel.Information : LogLevel.Warning,
                target.Service, target.RealServer, state, result.Detail);
            _transitions.Writer.TryWrite(new HealthTransition(target, state, result.Detail));
        }
    }

    private void OnProbeFinished(MonitoredTarget monitored) => ProbeFinished?.Invoke(monitored.Target);

    private async Task DeliverTransitionsAsync()
    {
        await foreach (HealthTransition transition in _transitions.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                StateChanged?.Invoke(transition);
            }
#pragma warning disable CA1031 // one handler's failure must not stop the transitions after it from being raised
            catch (Exception e)
#pragma warning restore CA1031
            {
                HealthMonitorLog.HandlerFailed(_logger, e, transition.Target, transition.State);
            }
        }
    }
}
