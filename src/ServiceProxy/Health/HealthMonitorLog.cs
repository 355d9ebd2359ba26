using Microsoft.Extensions.Logging;
using Netlink.Ipvs;

namespace ServiceProxy.Health;

/// <summary>The monitor's log lines, generated (no formatting unless the level is on, no reflection).</summary>
internal static partial class HealthMonitorLog
{
    [LoggerMessage(EventId = 1, EventName = "HealthStateChanged",
        Message = "{Service} real server {RealServer} is now {State}: {Detail}")]
    public static partial void StateChanged(ILogger logger, LogLevel level, VirtualServiceKey service, string realServer, HealthState state, string detail);

    [LoggerMessage(EventId = 2, EventName = "HealthCheckFailed", Level = LogLevel.Debug,
        Message = "Check of {Target} failed: {Detail}")]
    public static partial void CheckFailed(ILogger logger, HealthTarget target, string detail);

    [LoggerMessage(EventId = 3, EventName = "HealthStateChangedHandlerFailed", Level = LogLevel.Error,
        Message = "A StateChanged handler failed on {Target} becoming {State}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, HealthTarget target, HealthState state);
}
