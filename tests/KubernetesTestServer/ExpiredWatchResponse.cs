namespace KubernetesTestServer;

/// <summary>How the server refuses a watch whose resourceVersion is older than its history; real servers have done both.</summary>
public enum ExpiredWatchResponse
{
    /// <summary>HTTP 200, then one ERROR event whose object is a Status with code 410, then the end (the watch cache's way).</summary>
    ErrorEvent,

    /// <summary>HTTP 410 Gone with a Status body.</summary>
    HttpStatus,
}
