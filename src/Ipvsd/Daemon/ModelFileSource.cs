using Ipvsd.Configuration;
using Ipvsd.Observability;
using Microsoft.Extensions.Logging;
using ServiceProxy.Model;
using ServiceProxy.Reconciling;

namespace Ipvsd.Daemon;

/// <summary>
/// The desired services from the model files: a changed file is read once its burst of writes has settled, SIGHUP
/// re-reads them all, an invalid edit is logged and counted and leaves the last good table.
/// </summary>
internal sealed partial class ModelFileSource(DesiredState desired, DaemonEvents events, HealthSupervisor health, DaemonMetrics metrics, ILogger logger)
    : IServiceSource
{
    /// <summary>A burst of writes to one file (truncate, write, write) is read once it has been quiet this long.</summary>
    private static readonly TimeSpan FileSettleTime = TimeSpan.FromMilliseconds(100);

    public bool WaitUntilReady(CancellationToken cancellation) => true; // the files were read before the loop started

    public DateTimeOffset? PendingAt(DateTimeOffset now) =>
        events.HasFileChanges ? now + (FileSettleTime - System.Diagnostics.Stopwatch.GetElapsedTime(events.LastFileEvent)) : null;

    public bool TakeInto(ServiceReconciler reconciler)
    {
        bool all = events.TakeFileChanges(out List<string> paths);
        if (!all && paths.Count == 0)
        {
            return false;
        }
        ModelFilesUpdate update = all
            ? desired.ReloadAll(out IReadOnlyList<ConfigProblem> problems)
            : desired.Reload(paths, out problems);
        if (!update.IsValid)
        {
            metrics.ConfigurationError();
            foreach (ConfigProblem problem in problems)
            {
                LogInvalidChange(logger, problem.ToString());
            }
        }
        else if (!update.IsEmpty)
        {
            Take(update, reconciler);
            LogDesiredChanged(logger, update.Changed.Count, update.Removed.Count, all ? "reload" : string.Join(", ", paths.Distinct().Select(Path.GetFileName)));
        }
        return all;
    }

    /// <summary>Hands an update of the model files to the reconciler and the health checks (the first one, and each taken).</summary>
    public void Take(ModelFilesUpdate update, ServiceReconciler reconciler)
    {
        reconciler.SetDesired(update.Changed, update.Removed);
        reconciler.SetTimeouts(desired.Model.Timeouts);
        health.Update(update, reconciler);
    }

    public void BeforeFullSync()
    {
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "invalid change ignored, the last good table stays: {Problem}")]
    private static partial void LogInvalidChange(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "desired table changed: {Changed} services added or edited, {Removed} removed ({Files})")]
    private static partial void LogDesiredChanged(ILogger logger, int changed, int removed, string files);
}
