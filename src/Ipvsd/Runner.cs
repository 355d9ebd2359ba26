using System.Runtime;
using System.Runtime.InteropServices;
using Ipvsd.Configuration;
using Ipvsd.Daemon;
using Ipvsd.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Netlink;
using Prometheus;
using ServiceProxy.Health;
using ServiceProxy.Kernel;
using ServiceProxy.Model;
using ServiceProxy.Reconciling;
using ServiceProxy.Rules;

namespace Ipvsd;

/// <summary>Reads the configuration and the services, opens the kernel, then runs the chosen mode.</summary>
internal static partial class Runner
{
    /// <summary>How long --once and --dry-run wait for the API server's first lists before giving up.</summary>
    private static readonly TimeSpan FirstListTimeout = TimeSpan.FromSeconds(60);

    public static int Run(string configPath, DaemonMode mode)
    {
        DaemonConfig? config = ConfigReader.Read(configPath, out IReadOnlyList<ConfigProblem> problems);
        if (config is null)
        {
            return Fail(ExitCodes.InvalidConfiguration, problems.Select(p => p.ToString()));
        }
        DesiredState? files = null;
        ModelFilesUpdate? initial = null;
        if (config.Services is { } services)
        {
            files = new DesiredState(new ServiceFiles(services));
            initial = files.ReloadAll(out problems);
            if (!initial.IsValid)
            {
                return Fail(ExitCodes.InvalidConfiguration, problems.Select(p => p.ToString()));
            }
        }

        using ILoggerFactory loggers = LoggerFactory.Create(ConfigureLogging);
        ILogger logger = loggers.CreateLogger("ipvsd");
        using var events = new DaemonEvents();
        var metrics = new DaemonMetrics(Prometheus.Metrics.DefaultRegistry);
        // health checks are the model files'; Kubernetes says which endpoints are ready
        HealthMonitor? monitor = mode == DaemonMode.Serve && files is not null
            ? new HealthMonitor(new NetworkHealthProbe(), TimeProvider.System, loggers.CreateLogger<HealthMonitor>())
            : null;
        using var health = new HealthSupervisor(monitor, events);
        // a dry run changes nothing, so it may look while the daemon runs
        InstanceLock? instance = null;
        if (mode != DaemonMode.DryRun && !InstanceLock.TryAcquire(config.StateDirectory, out instance, out string? locked, out bool busy))
        {
            // an unsafe or unwritable state directory is the node's problem, as an unreadable ownership record is
            return Fail(busy ? ExitCodes.AlreadyRunning : ExitCodes.KernelUnavailable, [locked]);
        }
        using InstanceLock? held = instance;
        if (!NodeSession.TryOpen(config, mode == DaemonMode.DryRun, health, loggers, out NodeSession? session, out string? problem))
        {
            return Fail(ExitCodes.KernelUnavailable, [problem.Contains("CAP_NET_ADMIN", StringComparison.Ordinal)
                ? problem
                : $"{problem}: ipvsd needs a kernel with IPVS (module ip_vs, or built in) and CAP_NET_ADMIN"]);
        }
        using (session)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                long budget = GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out object? value) && value is long bytes ? bytes : 0;
                LogRuntime(logger, budget >> 20, GCSettings.IsServerGC ? "server" : "workstation");
            }
            if (files is not null && initial is not null)
            {
                session.Reconciler.SetDesired(initial.Changed, initial.Removed);
                session.Reconciler.SetTimeouts(files.Model.Timeouts);
            }
            if (mode != DaemonMode.DryRun && mode != DaemonMode.Cleanup && !SetSysctls(config, logger))
            {
                return ExitCodes.KernelUnavailable;
            }
            if (mode == DaemonMode.Cleanup)
            {
                return Cleanup(session, logger);
            }
            if (config.Kubernetes is not { } kubernetes)
            {
                return mode switch
                {
                    DaemonMode.Once => Once(session, logger),
                    DaemonMode.DryRun => DryRun(session, logger),
                    _ => Serve(config, session, new ModelFileSource(files!, events, health, metrics, loggers.CreateLogger<ModelFileSource>()),
                        files, initial, events, health, metrics, loggers),
                };
            }
            SyncLoop? serving = null;
            bool ProxyHealthy() => serving?.LastSuccess is not { } last || HealthEndpoint.IsFresh(last, config.SyncPeriod, TimeProvider.System.GetUtcNow());
            if (!KubernetesFollower.TryCreate(config, kubernetes, session, events.Wake, loggers, mode == DaemonMode.Serve ? ProxyHealthy : null,
                out KubernetesFollower? follower, out problem))
            {
                return Fail(ExitCodes.InvalidConfiguration, [problem]);
            }
            using (follower)
            {
                follower.Start();
                if (mode == DaemonMode.Serve)
                {
                    return Serve(config, session, follower.Source, null, null, events, health, metrics, loggers, loop => serving = loop);
                }
                using var timeout = new CancellationTokenSource(FirstListTimeout);
                if (!follower.Source.WaitUntilReady(timeout.Token))
                {
                    return Fail(ExitCodes.SourceUnavailable, [$"the API server did not list Services and EndpointSlices within {FirstListTimeout.TotalSeconds:0} s: check that it answers and kubernetes.kubeconfig in {config.Path} (the lines above say what failed)"]);
                }
                follower.Source.TakeInto(session.Reconciler);
                return mode == DaemonMode.Once ? Once(session, logger) : DryRun(session, logger);
            }
        }
    }

    private static bool SetSysctls(DaemonConfig config, ILogger logger)
    {
        try
        {
            foreach (string change in ProxySysctls.Apply(new ProxySysctlOptions { StrictArp = config.Kubernetes?.StrictArp ?? false }))
            {
                LogSysctl(logger, change);
            }
            return true;
        }
        catch (IOException e)
        {
            Fail(ExitCodes.KernelUnavailable, [e.Message]);
            return false;
        }
    }

    private static int Once(NodeSession session, ILogger logger)
    {
        SyncReport report = session.Reconciler.Sync(SyncKind.Full);
        SyncLog.Write(logger, report);
        IReadOnlyList<string> differences = session.Reconciler.Differences();
        foreach (string difference in differences)
        {
            LogDifference(logger, difference);
        }
        return report.Succeeded && differences.Count == 0 ? ExitCodes.Ok : ExitCodes.NotInSync;
    }

    private static int DryRun(NodeSession session, ILogger logger)
    {
        SyncReport report = session.Reconciler.Sync(SyncKind.Full);
        SyncLog.Write(logger, report, eachChange: true);
        return report.Succeeded ? ExitCodes.Ok : ExitCodes.NotInSync;
    }

    private static int Cleanup(NodeSession session, ILogger logger)
    {
        try
        {
            CleanupReport report = session.Reconciler.Cleanup();
            LogCleanedUp(logger, report.ServicesDeleted,
                report.InterfaceRemoved ? "the virtual IPs' interface removed" : "no virtual IPs' interface",
                report.RulesRemoved ? "the rules removed" : "no rules");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is NetlinkException or IOException or IptablesException or ServiceProxy.Planning.ServiceTableApplyException)
        {
            return Fail(ExitCodes.CleanupFailed, [$"cleanup failed: {e.Message}: run ipvsd --cleanup again"]);
        }
    }

    private static int Serve(DaemonConfig config, NodeSession session, IServiceSource source, DesiredState? files, ModelFilesUpdate? initial,
        DaemonEvents events, HealthSupervisor health, DaemonMetrics metrics, ILoggerFactory loggers, Action<SyncLoop>? created = null)
    {
        if (initial is not null)
        {
            health.Update(initial, session.Reconciler);
        }
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        ConfigureLogging(builder.Logging);
        builder.Services.AddSystemd();
        // "Application started. Press Ctrl+C" and the content root are no events of ipvsd's
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddSingleton(sp =>
        {
            var loop = new SyncLoop(config, session, source, events, metrics, health, loggers.CreateLogger<SyncLoop>(), sp.GetService<ISystemdNotifier>());
            created?.Invoke(loop);
            return loop;
        });
        builder.Services.AddHostedService(sp => new Endpoints(config, sp.GetRequiredService<SyncLoop>(), loggers.CreateLogger<Endpoints>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SyncLoop>());
        using IHost host = builder.Build();
        using ServiceFileWatcher? watcher = files is null ? null : new ServiceFileWatcher(files.Files, events);
        ILogger signals = loggers.CreateLogger("ipvsd");
        using PosixSignalRegistration hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            if (files is null)
            {
                LogNothingToReload(signals);
                return;
            }
            LogReload(signals);
            events.ReloadAll();
        });
        host.Run();
        return ExitCodes.Ok;
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.SetMinimumLevel(Environment.GetEnvironmentVariable("IPVSD_DEBUG") == "1" ? LogLevel.Debug : LogLevel.Information);
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
    }

    private static int Fail(int status, IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            Console.Error.WriteLine($"ipvsd: {line}");
        }
        return status;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "runtime: {Collector} garbage collector, youngest generation up to {Gen0MiB} MiB between collections")]
    private static partial void LogRuntime(ILogger logger, long gen0MiB, string collector);

    [LoggerMessage(Level = LogLevel.Information, Message = "sysctl {Change}")]
    private static partial void LogSysctl(ILogger logger, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "reloading every services file (SIGHUP)")]
    private static partial void LogReload(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP: nothing to re-read, the Kubernetes source follows the API server as it changes")]
    private static partial void LogNothingToReload(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "not in sync: {Difference}")]
    private static partial void LogDifference(ILogger logger, string difference);

    [LoggerMessage(Level = LogLevel.Information, Message = "cleaned up: {Services} services deleted, {Interface}, {Rules}")]
    private static partial void LogCleanedUp(ILogger logger, int services, string @interface, string rules);
}
