using Microsoft.Extensions.Logging;

namespace ServiceProxy.Kubernetes.Watching;

/// <summary>The informers' log lines.</summary>
internal static partial class InformerLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{Kind}: listed {Count} objects at resourceVersion {ResourceVersion} (list {Lists}: {Added} added, {Updated} updated, {Deleted} deleted)")]
    public static partial void Listed(ILogger logger, string kind, int count, string resourceVersion, int lists, int added, int updated, int deleted);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "{Kind}: watching from resourceVersion {ResourceVersion}")]
    public static partial void Watching(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "{Kind}: watch ended after {Events} events and {Milliseconds} ms, at resourceVersion {ResourceVersion}")]
    public static partial void WatchEnded(ILogger logger, string kind, int events, long milliseconds, string? resourceVersion);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "{Kind}: resourceVersion {ResourceVersion} is gone from the server's history ({Reason}); listing again")]
    public static partial void Expired(ILogger logger, string kind, string? resourceVersion, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "{Kind}: {Operation} failed ({Failures} in a row); retrying in {Milliseconds} ms")]
    public static partial void Failed(ILogger logger, string kind, string operation, int failures, long milliseconds, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "{Kind}: the handler failed on {Change} of {Key}")]
    public static partial void HandlerFailed(ILogger logger, string kind, string change, string key, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "{Kind}: stopped at resourceVersion {ResourceVersion}")]
    public static partial void Stopped(ILogger logger, string kind, string? resourceVersion);
}
