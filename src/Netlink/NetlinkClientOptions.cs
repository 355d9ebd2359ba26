namespace Netlink;

/// <summary>
/// The settings every protocol client opens its socket with; each client's options add their own. The defaults are
/// those of <see cref="NetlinkSocketOptions"/>.
/// </summary>
public abstract class NetlinkClientOptions
{
    /// <summary>Work in this network namespace (null: the caller's).</summary>
    public NetworkNamespace? Namespace { get; init; }

    /// <summary>How long to wait for any one reply from the kernel before failing with ETIMEDOUT.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = NetlinkSocketOptions.Default.ReceiveTimeout;

    /// <summary>The socket receive buffer to ask for (SO_RCVBUFFORCE when permitted, else SO_RCVBUF).</summary>
    public int ReceiveBufferSize { get; init; } = NetlinkSocketOptions.Default.ReceiveBufferSize;

    /// <summary>The socket send buffer (SO_SNDBUF), which caps how many bytes of requests go out in one send.</summary>
    public int SendBufferSize { get; init; } = NetlinkSocketOptions.Default.SendBufferSize;

    /// <summary>
    /// The socket options these settings make. A protocol whose datagrams are bounded passes false for
    /// <paramref name="peekDatagramSize"/> to save a system call per receive (see <see cref="NetlinkSocketOptions.PeekDatagramSize"/>).
    /// </summary>
    public NetlinkSocketOptions ToSocketOptions(bool peekDatagramSize = true) => new()
    {
        Namespace = Namespace,
        ReceiveTimeout = ReceiveTimeout,
        ReceiveBufferSize = ReceiveBufferSize,
        SendBufferSize = SendBufferSize,
        PeekDatagramSize = peekDatagramSize,
    };
}
