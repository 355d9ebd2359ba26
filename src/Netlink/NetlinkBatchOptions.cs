namespace Netlink;

/// <summary>How <see cref="NetlinkConnection.ExecuteBatch"/> sends many requests.</summary>
public sealed class NetlinkBatchOptions
{
    /// <summary>Requests per send (and per round trip). 1 makes every request wait for its own reply.</summary>
    public int MaxRequestsPerSend { get; init; } = 256;

    /// <summary>Bytes per send; must stay below the socket's send buffer.</summary>
    public int MaxBytesPerSend { get; init; } = 128 * 1024;

    /// <summary>
    /// Stop sending after the send whose replies held an error. Requests later in that same send were already
    /// processed; set <see cref="MaxRequestsPerSend"/> to 1 to stop exactly at the failure.
    /// </summary>
    public bool StopAtFirstError { get; init; } = true;

    /// <summary>
    /// Ask for an ack on every request rather than only the last of each send. The kernel reports every error
    /// either way, so this only costs time; it exists for comparison and for peers that need it.
    /// </summary>
    public bool AcknowledgeEveryRequest { get; init; }

    /// <summary>The defaults.</summary>
    public static NetlinkBatchOptions Default { get; } = new();
}
