namespace Netlink;

/// <summary>How to open a <see cref="NetlinkSocket"/>.</summary>
public sealed class NetlinkSocketOptions
{
    /// <summary>Open the socket inside this network namespace (null: the caller's).</summary>
    public NetworkNamespace? Namespace { get; init; }

    /// <summary>How long a receive waits for the kernel before failing with ETIMEDOUT, so nothing hangs forever.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The socket receive buffer to ask for (SO_RCVBUFFORCE when permitted, else SO_RCVBUF). Large enough that the
    /// kernel's error replies to a whole batch fit without overrun.
    /// </summary>
    public int ReceiveBufferSize { get; init; } = 4 << 20;

    /// <summary>The socket send buffer, which caps how many bytes of requests go out in one send.</summary>
    public int SendBufferSize { get; init; } = 1 << 20;

    /// <summary>The defaults.</summary>
    public static NetlinkSocketOptions Default { get; } = new();
}
