using Microsoft.Extensions.Logging;
using ServiceProxy.Kubernetes.Translation;

namespace ServiceProxy.Kubernetes.Health;

/// <summary>The health check node port server's log lines.</summary>
internal static partial class HealthCheckNodePortLog
{
    [LoggerMessage(EventId = 4101, EventName = "HealthCheckNodePortOpened", Level = LogLevel.Debug,
        Message = "{Service}: serving its health check node port {Port} on {Addresses}")]
    public static partial void Opened(ILogger logger, ServiceName service, ushort port, string addresses);

    [LoggerMessage(EventId = 4102, EventName = "HealthCheckNodePortClosed", Level = LogLevel.Debug,
        Message = "{Service}: closed its health check node port {Port}")]
    public static partial void Closed(ILogger logger, ServiceName service, ushort port);

    [LoggerMessage(EventId = 4103, EventName = "HealthCheckNodePortFailed",
        Message = "{Service}: cannot serve its health check node port {Port} ({Attempts} attempts so far): {Reason}; trying again at the next change; until then load balancers see this node as down for it")]
    public static partial void OpenFailed(ILogger logger, LogLevel level, ServiceName service, ushort port, int attempts, string reason);

    [LoggerMessage(EventId = 4104, EventName = "HealthCheckNodePortRecovered", Level = LogLevel.Information,
        Message = "{Service}: serving its health check node port {Port} after {Attempts} failed attempts")]
    public static partial void Recovered(ILogger logger, ServiceName service, ushort port, int attempts);

    [LoggerMessage(EventId = 4105, EventName = "HealthCheckRequestFailed", Level = LogLevel.Debug,
        Message = "{Service}: a health check request on port {Port} failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, ServiceName service, ushort port, string reason);
}
