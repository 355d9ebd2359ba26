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

    /// <summary>
    /// Learn each datagram's size with MSG_PEEK|MSG_TRUNC before receiving it, so a reply of any size arrives whole
    /// (rtnetlink can send single messages far larger than usual). Costs a second system call per datagram.
    /// A protocol whose datagrams are bounded may turn it off: receives then go straight into a buffer of
    /// <see cref="MaxDatagramSize"/> bytes, and a larger datagram fails loudly as truncated instead of being cut.
    /// </summary>
    public bool PeekDatagramSize { get; init; } = true;

    /// <summary>
    /// The receive buffer when <see cref="PeekDatagramSize"/> is off; the kernel caps dump datagrams at 32 KiB. The
    /// kernel also sizes each dump datagram by the largest receive buffer the socket has offered (at least
    /// NLMSG_GOODSIZE, about a page), and allocates and zeroes that much for every one, a lone NLMSG_DONE included:
    /// a protocol of small messages and many short dumps reads faster with a smaller value.
    /// </summary>
    public int MaxDatagramSize { get; init; } = 64 * 1024;

    /// <summary>The defaults.</summary>
    public static NetlinkSocketOptions Default { get; } = new();
}
