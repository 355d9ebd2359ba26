using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Netlink.Ipvs;
using ServiceProxy.Health;

namespace Netlink.Tests.ServiceProxy.Health;

/// <summary>
/// A <see cref="HealthMonitor"/> on a fake clock and a <see cref="ScriptedProbe"/>. Every wait is for something the
/// monitor did (a probe finished, a transition raised), never for time to pass; the clock moves only when a test says.
/// </summary>
internal sealed class MonitorRig : IAsyncDisposable
{
    public static readonly VirtualServiceKey Web = VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80);

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Not what the tests measure: only how long a wait may take before a bug's hang becomes a failure.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly ConcurrentQueue<HealthTransition> _transitions = new();
    private int _finished;

    public MonitorRig()
    {
        Monitor = new HealthMonitor(Probe, Time, Log);
        Monitor.ProbeFinished += OnProbeFinished;
        Monitor.StateChanged += _transitions.Enqueue;
    }

    public FakeTimeProvider Time { get; } = new();

    public ScriptedProbe Probe { get; } = new();

    public ListLogger<HealthMonitor> Log { get; } = new();

    public HealthMonitor Monitor { get; }

    /// <summary>The transitions raised so far; all of them once the monitor is disposed (DisposeAsync waits for the handlers).</summary>
    public IReadOnlyList<HealthTransition> Transitions => [.. _transitions];

    public static HealthCheck Check(int rise = 2, int fall = 3) => new() { Interval = Interval, Timeout = CheckTimeout, Rise = rise, Fall = fall };

    public static HealthTarget Target(string address, HealthCheck? check = null) => new(Web, IPAddress.Parse(address), 80, check ?? Check());

    public HealthState StateOf(HealthTarget target) => Monitor.StateOf(target.Service, target.Address, target.Port);

    /// <summary>Sets the targets and waits for the probes that start at once, one per new or changed target.</summary>
    public Task SetTargetsAsync(int startingProbes, params HealthTarget[] targets)
    {
        int before = Volatile.Read(ref _finished);
        Monitor.SetTargets(targets);
        return UntilFinished(before + startingProbes);
    }

    /// <summary>Moves the clock one interval on and waits for that round's probes, one per target.</summary>
    public Task NextRoundAsync(int probes = 1)
    {
        int before = Volatile.Read(ref _finished);
        Time.Advance(Interval);
        return UntilFinished(before + probes);
    }

    /// <summary>Completes when <paramref name="count"/> probes in all have finished.</summary>
    public Task UntilFinished(int count)
    {
        lock (_lock)
        {
            if (_finished >= count)
            {
                return Task.CompletedTask;
            }
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(HangGuard);
        }
    }

    /// <summary>Waits for a task the monitor should complete, failing instead of hanging when it never does.</summary>
    public static Task<T> Guarded<T>(Task<T> task) => task.WaitAsync(HangGuard);

    public ValueTask DisposeAsync() => Monitor.DisposeAsync();

    private void OnProbeFinished(HealthTarget target)
    {
        lock (_lock)
        {
            _finished++;
            foreach ((int count, TaskCompletionSource reached) in _waiters.Where(w => w.Count <= _finished).ToList())
            {
                reached.SetResult();
                _waiters.Remove((count, reached));
            }
        }
    }
}
