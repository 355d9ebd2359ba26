namespace ServiceProxy.Health;

/// <summary>
/// One target inside a <see cref="HealthMonitor"/>: its rise and fall counter and the schedule of its probes. A timer
/// ticks at once and then every <see cref="HealthCheck.Interval"/>; a tick starts a probe unless one is still running,
/// and then that tick's probe starts as soon as the running one returns, so a slow probe delays the next, never
/// doubles it. Disposing stops it: no probe starts and no result counts after that.
/// </summary>
internal sealed class MonitoredTarget : IDisposable
{
    /// <summary>
    /// How much longer than its timeout a probe may run before the monitor counts it as failed itself: long enough
    /// for a probe that keeps the timeout on its own (as <see cref="NetworkHealthProbe"/>) to answer first, with a
    /// detail that names the step that timed out.
    /// </summary>
    internal static readonly TimeSpan OverdueGrace = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly IHealthProbe _probe;
    private readonly TimeProvider _time;
    private readonly Action<MonitoredTarget, HealthProbeResult, HealthState?> _counted;
    private readonly Action<MonitoredTarget> _probeFinished;
    private readonly RiseFallCounter _counter;
    private ITimer? _timer;
    private CancellationTokenSource? _probeCancellation;
    private TaskCompletionSource _idle = new();
    private bool _running;
    private bool _due;
    private bool _stopped;

    /// <param name="target">What to check.</param>
    /// <param name="probe">How.</param>
    /// <param name="time">The clock of the ticks and of the overdue deadline.</param>
    /// <param name="counted">Called with each counted result and the new state when it changed one (null when not),
    /// under this target's lock, so that nothing is reported for a target after it stopped.</param>
    /// <param name="probeFinished">Called after each probe has returned and its result was counted.</param>
    public MonitoredTarget(HealthTarget target, IHealthProbe probe, TimeProvider time,
        Action<MonitoredTarget, HealthProbeResult, HealthState?> counted, Action<MonitoredTarget> probeFinished)
    {
        Target = target;
        _probe = probe;
        _time = time;
        _counted = counted;
        _probeFinished = probeFinished;
        _counter = new RiseFallCounter(target.Check.Rise, target.Check.Fall);
    }

    public HealthTarget Target { get; }

    public HealthState State
    {
        get
        {
            lock (_lock)
            {
                return _counter.State;
            }
        }
    }

    /// <summary>Starts the ticks; the first probe starts at once.</summary>
    public void Start()
    {
        ITimer timer;
        lock (_lock)
        {
            if (_stopped || _timer is not null)
            {
                return;
            }
            timer = _time.CreateTimer(static state => ((MonitoredTarget)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer = timer;
        }
        // Armed outside the lock: a fake clock runs a callback that is due at once inside Change, on this thread.
        timer.Change(TimeSpan.Zero, Target.Check.Interval);
    }

    /// <summary>Completes when no probe of this target is running (at once when none is).</summary>
    public Task WhenIdle()
    {
        lock (_lock)
        {
            return _running ? _idle.Task : Task.CompletedTask;
        }
    }

    /// <summary>Stops the ticks and cancels a running probe; does not wait for it (see <see cref="WhenIdle"/>).</summary>
    public void Dispose()
    {
        ITimer? timer;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            timer = _timer;
            // Under the lock, so the probe's own clean-up cannot dispose the source in between.
            _probeCancellation?.Cancel();
        }
        timer?.Dispose();
    }

    private void OnTick()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            if (_running)
            {
                _due = true;
                return;
            }
            _running = true;
            _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _ = ProbeWhileDueAsync();
    }

    private async Task ProbeWhileDueAsync()
    {
        bool again = true;
        while (again)
        {
            try
            {
                await ProbeOnceAsync().ConfigureAwait(false);
            }
            finally
            {
                // Even when counting threw (a logger that failed), so the target is not left running forever.
                lock (_lock)
                {
                    again = _due && !_stopped;
                    _due = false;
                    _running = again;
                    if (!again)
                    {
                        _idle.TrySetResult();
                    }
                }
            }
            _probeFinished(this);
        }
    }

    private async Task ProbeOnceAsync()
    {
        var cancellation = new CancellationTokenSource();
        lock (_lock)
        {
            if (_stopped)
            {
                cancellation.Dispose();
                return;
            }
            _probeCancellation = cancellation;
        }
        try
        {
            Task<HealthProbeResult> probing = StartProbe(cancellation.Token);
            TimeSpan deadline = Target.Check.Timeout + OverdueGrace;
            HealthProbeResult result;
            try
            {
                result = await probing.WaitAsync(deadline, _time).ConfigureAwait(false);
            }
            catch (TimeoutException) when (!probing.IsCompleted)
            {
                result = HealthProbeResult.Fail($"no answer after {ProbeText.Seconds(deadline)} (timeout {ProbeText.Seconds(Target.Check.Timeout)})");
                CancelProbe();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Stopped: the answer is no longer wanted.
                return;
            }
#pragma warning disable CA1031 // any exception from a probe is its answer: a failed check, with the message as the detail
            catch (Exception e)
#pragma warning restore CA1031
            {
                result = HealthProbeResult.Fail(e.Message);
            }
            Count(result);
            // One probe in flight per target: an overdue probe holds the target until it does return.
            await ((Task)probing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            lock (_lock)
            {
                _probeCancellation = null;
            }
            cancellation.Dispose();
        }
    }

    /// <summary>Starts the probe; one that throws before returning a task has answered as much as one that faults.</summary>
    private Task<HealthProbeResult> StartProbe(CancellationToken cancellationToken)
    {
        try
        {
            return _probe.ProbeAsync(Target, cancellationToken);
        }
#pragma warning disable CA1031 // see ProbeOnceAsync: carried in the task, counted there as a failure
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromException<HealthProbeResult>(e);
        }
    }

    private void CancelProbe()
    {
        lock (_lock)
        {
            _probeCancellation?.Cancel();
        }
    }

    private void Count(HealthProbeResult result)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            bool changed = _counter.Record(result.Healthy);
            _counted(this, result, changed ? _counter.State : null);
        }
    }
}
