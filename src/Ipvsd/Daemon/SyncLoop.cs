using System.Diagnostics;
using Ipvsd.Configuration;
using Ipvsd.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Netlink.Ipvs;
using ServiceProxy.Model;
using ServiceProxy.Reconciling;

namespace Ipvsd.Daemon;

/// <summary>
/// The daemon's one thread that touches the kernel: a full sync at start (before systemd hears READY), then syncs
/// driven by events (a services file changed, SIGHUP, a health check changed) no sooner than min-sync-period after
/// the last, a full resync every sync-period, drain checks while real servers drain, and the systemd watchdog.
/// </summary>
internal sealed partial class SyncLoop : IHostedService, IDisposable
{
    private readonly DaemonConfig _config;
    private readonly NodeSession _session;
    private readonly IServiceSource _source;
    private readonly DaemonEvents _events;
    private readonly DaemonMetrics _metrics;
    private readonly HealthSupervisor _health;
    private readonly ISystemdNotifier? _notifier;
    private readonly ILogger _logger;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _watchdogPing;
    private Thread? _thread;
    private long _lastSuccessUnixMs = -1;
    private DateTimeOffset _lastSync;
    private DateTimeOffset _lastFull;
    private int _failuresInARow;
    private bool _afterBurst = true; // the first sync follows reading every services file, or listing every Service
    private long _residentAfterReturn;

    public SyncLoop(DaemonConfig config, NodeSession session, IServiceSource source, DaemonEvents events, DaemonMetrics metrics,
        HealthSupervisor health, ILogger<SyncLoop> logger, ISystemdNotifier? notifier = null)
    {
        _config = config;
        _session = session;
        _source = source;
        _events = events;
        _metrics = metrics;
        _health = health;
        _logger = logger;
        _notifier = notifier is { IsEnabled: true } ? notifier : null;
        _watchdogPing = WatchdogPing();
    }

    /// <summary>When the last sync that finished ended; null before the first.</summary>
    public DateTimeOffset? LastSuccess
    {
        get
        {
            long ms = Interlocked.Read(ref _lastSuccessUnixMs);
            return ms < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
    }

    private ServiceReconciler Reconciler => _session.Reconciler;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_source.WaitUntilReady(cancellationToken))
        {
            return Task.CompletedTask;
        }
        _source.TakeInto(Reconciler);
        SyncReport first = SyncNow(SyncKind.Full);
        LogReady(_logger, Reconciler.ServiceCount, Reconciler.RealServerCount, (long)first.Duration.TotalMilliseconds, first.Succeeded ? "in sync" : "first sync failed, retrying");
        _thread = new Thread(Run) { IsBackground = true, Name = "ipvsd sync" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        _events.Wake();
        _thread?.Join();
        LogStopped(_logger);
        return Task.CompletedTask;
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            DateTimeOffset now = _time.GetUtcNow();
            DateTimeOffset due = NextDue();
            if (now < due)
            {
                TimeSpan wait = due - now;
                _events.Wait(wait < _watchdogPing ? wait : _watchdogPing, _stop.Token);
                PingWatchdog();
                continue;
            }
            SyncKind kind = now >= _lastFull + _config.SyncPeriod ? SyncKind.Full : SyncKind.Incremental;
            if (kind == SyncKind.Full)
            {
                _source.BeforeFullSync();
            }
            TakeEvents();
            SyncNow(kind);
        }
    }

    /// <summary>When the next sync may run: the periodic resync, or earlier when something is pending (bounded below by min-sync-period).</summary>
    private DateTimeOffset NextDue()
    {
        DateTimeOffset due = _lastFull + _config.SyncPeriod;
        DateTimeOffset earliest = _lastSync + RetryDelay();
        bool pending = _events.HasHealthChanges || Reconciler.HasPendingChanges;
        if (_source.PendingAt(_time.GetUtcNow()) is { } settled)
        {
            earliest = settled > earliest ? settled : earliest;
            pending = true;
        }
        if (Reconciler.NextDrainCheck is { } drain)
        {
            DateTimeOffset at = drain > earliest ? drain : earliest;
            due = at < due ? at : due;
        }
        if (pending && earliest < due)
        {
            due = earliest;
        }
        return due;
    }

    /// <summary>
    /// min-sync-period, doubled for each sync in a row that failed, up to sync-period: a kernel that keeps refusing
    /// (a missing module, a full table) is retried, but not every second with two log lines each time.
    /// </summary>
    private TimeSpan RetryDelay()
    {
        TimeSpan delay = _config.MinSyncPeriod;
        for (int i = 0; i < _failuresInARow && delay < _config.SyncPeriod; i++)
        {
            delay *= 2;
        }
        return delay < _config.SyncPeriod ? delay : _config.SyncPeriod;
    }

    private void TakeEvents()
    {
        _afterBurst |= _source.TakeInto(Reconciler);
        foreach (VirtualServiceKey key in _events.TakeHealthChanges())
        {
            Reconciler.MarkDirty(key);
        }
    }

    private SyncReport SyncNow(SyncKind kind)
    {
        SyncReport report = Reconciler.Sync(kind);
        DateTimeOffset now = _time.GetUtcNow();
        _lastSync = now;
        if (report.Kind == SyncKind.Full)
        {
            _lastFull = now;
        }
        if (report.Succeeded)
        {
            Interlocked.Exchange(ref _lastSuccessUnixMs, now.ToUnixTimeMilliseconds());
            _failuresInARow = 0;
        }
        else
        {
            _failuresInARow++;
        }
        _metrics.Record(report, Reconciler, now);
        _health.Publish(_metrics);
        SyncLog.Write(_logger, report);
        if (_afterBurst || report.Changes.Count >= LargeSync || (report.Kind == SyncKind.Full && GrewSinceLastReturn()))
        {
            _afterBurst = false;
            ReturnMemory();
        }
        PingWatchdog();
        return report;
    }

    /// <summary>A sync of at least this many changes (a start on an empty node, a reload of many files) ends a burst.</summary>
    private const int LargeSync = 1000;

    /// <summary>
    /// After a burst (reading 10,000 files and planning 110,000 changes passes through a few hundred MB), the garbage
    /// collector would keep the heap it grew for it, and a node agent would sit at twice the memory it needs for as long
    /// as it runs. One compacting collection that gives free memory back to the system costs tens of milliseconds of a
    /// node's CPU, and only after such a sync.
    /// </summary>
    private void ReturnMemory()
    {
        long before = Environment.WorkingSet;
        long started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long milliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _residentAfterReturn = Environment.WorkingSet;
        LogMemoryReturned(_logger, before >> 20, _residentAfterReturn >> 20, milliseconds);
    }

    /// <summary>
    /// Whether the resident size grew by 8 MiB or more since memory was last given back. A full resync reads the whole
    /// table: what stays alive across the sync's young collections (the address and rule dumps, the sets of what was
    /// read) reaches the oldest generation and stays there until that is collected, so without this the daemon would
    /// climb by half again of its size (85 to 150 MiB at 10k x 10) between the collector's own looks. After a full
    /// sync the work it read is done; when it left something worth giving back, give it back.
    /// </summary>
    private bool GrewSinceLastReturn()
    {
        long resident = Environment.WorkingSet;
        return resident - _residentAfterReturn >= 8L << 20;
    }

    private void PingWatchdog() => _notifier?.Notify(new ServiceState("WATCHDOG=1"));

    /// <summary>Half of systemd's WatchdogSec (WATCHDOG_USEC), so a ping is never late; a minute when there is none.</summary>
    private static TimeSpan WatchdogPing() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out long usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec / 2.0)
            : TimeSpan.FromMinutes(1);

    public void Dispose() => _stop.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "ready: {Services} services, {RealServers} real servers, first sync {Milliseconds} ms ({State})")]
    private static partial void LogReady(ILogger logger, int services, int realServers, long milliseconds, string state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "memory returned after a large sync: resident {Before} MiB -> {After} MiB in {Milliseconds} ms")]
    private static partial void LogMemoryReturned(ILogger logger, long before, long after, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped; the kernel's services, virtual IPs and rules stay as they are")]
    private static partial void LogStopped(ILogger logger);
}
