using Microsoft.Extensions.Logging;
using ServiceProxy.Planning;
using ServiceProxy.Reconciling;

namespace Ipvsd.Daemon;

/// <summary>One log line per sync that did something (debug for those that did not), and one per change in a dry run.</summary>
internal static partial class SyncLog
{
    public static void Write(ILogger logger, SyncReport report, bool eachChange = false)
    {
        if (eachChange)
        {
            foreach (ServiceTableChange change in report.Changes)
            {
                LogPlanned(logger, change);
            }
        }
        string kind = report.Kind == SyncKind.Full ? "full" : "incremental";
        long ms = (long)report.Duration.TotalMilliseconds;
        if (!report.Succeeded)
        {
            LogFailed(logger, kind, ms, report.Changes.Count, OneLine(report.Error!.Message));
            return;
        }
        if (report.ChangedNothing && report.DriftRepairs == 0)
        {
            LogNothing(logger, kind, report.ServicesPlanned, ms);
            return;
        }
        string counts = string.Join(", ", report.Changes.GroupBy(c => c.Kind).Select(g => $"{g.Key} {g.Count()}"));
        string addresses = report.VirtualIps is { IsEmpty: false } v ? $"; virtual IPs +{v.Added.Count} -{v.Removed.Count}" : string.Empty;
        string rules = report.RulesApplied ? "; rules installed" : string.Empty;
        string conntrack = report.ConntrackEntriesDeleted > 0 ? $"; {report.ConntrackEntriesDeleted} conntrack entries deleted" : string.Empty;
        LogSynced(logger, kind, report.Changes.Count, counts.Length == 0 ? "none" : counts, ms, report.DriftRepairs, addresses + rules + conntrack);
    }

    /// <summary>
    /// A failure is one log line however its exception wrote its message (ObjectDisposedException puts the object's
    /// name on a line of its own), so that a line-based log reader sees one event.
    /// </summary>
    private static string OneLine(string message) =>
        message.Contains('\n', StringComparison.Ordinal) ? string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) : message;

    [LoggerMessage(Level = LogLevel.Information, Message = "plan: {Change}")]
    private static partial void LogPlanned(ILogger logger, ServiceTableChange change);

    [LoggerMessage(Level = LogLevel.Information, Message = "sync {Kind}: {Count} changes ({Counts}) in {Milliseconds} ms, drift repaired {Drift}{Rest}")]
    private static partial void LogSynced(ILogger logger, string kind, int count, string counts, long milliseconds, int drift, string rest);

    [LoggerMessage(Level = LogLevel.Debug, Message = "sync {Kind}: nothing to change ({Services} services looked at, {Milliseconds} ms)")]
    private static partial void LogNothing(ILogger logger, string kind, int services, long milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "sync {Kind} failed after {Milliseconds} ms and {Applied} changes: {Reason}; the next sync reads the kernel whole")]
    private static partial void LogFailed(ILogger logger, string kind, long milliseconds, int applied, string reason);
}
