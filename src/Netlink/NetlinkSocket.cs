using Netlink.Interop;

namespace Netlink;

/// <summary>
/// An AF_NETLINK socket: bound, with extended acks, capped acks and strict checking on, a receive timeout, and
/// receive buffers sized to each datagram with MSG_PEEK|MSG_TRUNC. Optionally opened inside another network
/// namespace. Not thread-safe: one user at a time.
/// </summary>
public sealed class NetlinkSocket : INetlinkTransport
{
    private const int SolNetlink = 270;
    private const int NetlinkCapAck = 10;
    private const int NetlinkExtAck = 11;
    private const int NetlinkGetStrictCheck = 12;
    private const int SolSocket = 1;
    private const int SoSndBuf = 7;
    private const int SoRcvBuf = 8;
    private const int SoSndBufForce = 32;
    private const int SoRcvBufForce = 33;

    private readonly NetlinkSafeHandle _handle;

    private readonly bool _peek;
    private readonly int _maxDatagram;

    private NetlinkSocket(NetlinkSafeHandle handle, NetlinkProtocol protocol, uint portId, NetlinkSocketOptions options)
    {
        _handle = handle;
        _peek = options.PeekDatagramSize;
        _maxDatagram = options.MaxDatagramSize;
        Protocol = protocol;
        PortId = portId;
    }

    /// <summary>The protocol the socket speaks.</summary>
    public NetlinkProtocol Protocol { get; }

    /// <inheritdoc />
    public uint PortId { get; }

    /// <summary>Opens and configures a socket for <paramref name="protocol"/>.</summary>
    public static NetlinkSocket Open(NetlinkProtocol protocol, NetlinkSocketOptions? options = null)
    {
        options ??= NetlinkSocketOptions.Default;
        return options.Namespace is null ? Create(protocol, options) : options.Namespace.RunInside(() => Create(protocol, options));
    }

    private static NetlinkSocket Create(NetlinkProtocol protocol, NetlinkSocketOptions options)
    {
        Check(Sys.OpenNetlinkSocket((int)protocol, out int fd), "open netlink socket", $"protocol {(int)protocol}");
        var handle = new NetlinkSafeHandle(fd);
        try
        {
            // Older kernels lack some of these; each only improves error reports, so a refusal is not fatal.
            _ = Sys.SetSocketOption(handle, SolNetlink, NetlinkExtAck, 1);
            _ = Sys.SetSocketOption(handle, SolNetlink, NetlinkCapAck, 1);
            _ = Sys.SetSocketOption(handle, SolNetlink, NetlinkGetStrictCheck, 1);
            SetBuffer(handle, SoSndBufForce, SoSndBuf, options.SendBufferSize);
            SetBuffer(handle, SoRcvBufForce, SoRcvBuf, options.ReceiveBufferSize);
            Check(Sys.SetReceiveTimeout(handle, options.ReceiveTimeout), "set receive timeout", null);
            Check(Sys.Bind(handle), "bind netlink socket", null);
            Check(Sys.GetPortId(handle, out uint portId), "read netlink socket address", null);
            return new NetlinkSocket(handle, protocol, portId, options);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Throws the <see cref="NetlinkException"/> for <paramref name="errno"/> unless it is 0.</summary>
    private static void Check(int errno, string operation, string? target)
    {
        if (errno != 0)
        {
            throw NetlinkException.FromErrno(errno, operation, target);
        }
    }

    private int ReadOption(int name)
    {
        Check(Sys.GetSocketOption(_handle, SolSocket, name, out int value), "read socket option", name.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return value;
    }

    /// <summary>The receive buffer the kernel granted (SO_RCVBUF reads back twice what was asked, for overhead).</summary>
    public int ReceiveBufferSize => ReadOption(SoRcvBuf);

    /// <summary>Grows the receive buffer to at least <paramref name="bytes"/>; never shrinks it.</summary>
    public void EnsureReceiveBufferSize(int bytes)
    {
        if (ReceiveBufferSize < bytes)
        {
            SetBuffer(_handle, SoRcvBufForce, SoRcvBuf, bytes);
        }
    }

    /// <summary>The send buffer the kernel granted (SO_SNDBUF reads back twice what was asked). A datagram must fit in it.</summary>
    public int SendBufferSize => ReadOption(SoSndBuf);

    /// <summary>
    /// Grows the send buffer so that one datagram of <paramref name="bytes"/> fits (the kernel refuses a larger one with
    /// EMSGSIZE); never shrinks it. Protocols that apply a whole datagram atomically, such as nfnetlink batches, need this.
    /// </summary>
    public void EnsureSendBufferSize(int bytes)
    {
        // netlink_sendmsg refuses len > sk_sndbuf - 32; the kernel doubles the value set, so asking for bytes leaves room.
        if (SendBufferSize < bytes + 64)
        {
            SetBuffer(_handle, SoSndBufForce, SoSndBuf, bytes + 64);
        }
    }

    private static void SetBuffer(NetlinkSafeHandle handle, int forced, int plain, int bytes)
    {
        // The FORCE variant ignores net.core.rmem_max but needs CAP_NET_ADMIN; without it, take what the sysctl allows.
        if (Sys.SetSocketOption(handle, SolSocket, forced, bytes) != 0)
        {
            _ = Sys.SetSocketOption(handle, SolSocket, plain, bytes);
        }
    }

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> datagram)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        int error = Sys.Send(_handle, datagram);
        if (error != 0)
        {
            throw new NetlinkException(error, "send to kernel", $"({datagram.Length} bytes)");
        }
    }

    /// <inheritdoc />
    public int Receive(NetlinkBuffer buffer)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ArgumentNullException.ThrowIfNull(buffer);
        if (!_peek)
        {
            // Exactly MaxDatagramSize, not the whole (pooled, larger) array: the kernel sizes every later dump datagram
            // by the largest receive it has seen. MSG_TRUNC makes recv return the datagram's true length, so a cut
            // datagram is detected, never parsed.
            int failed = Sys.Receive(_handle, buffer.GetReceiveSpan(_maxDatagram)[.._maxDatagram], peek: false, out long length);
            if (failed != 0)
            {
                throw ReceiveError(failed);
            }
            if (length > _maxDatagram)
            {
                throw Truncated(length, _maxDatagram);
            }
            buffer.SetLength((int)length);
            return (int)length;
        }
        // Peek with MSG_TRUNC learns the datagram's true size without consuming it, so nothing is ever cut off.
        int peekFailed = Sys.Receive(_handle, buffer.GetReceiveSpan(64 * 1024), peek: true, out long size);
        if (peekFailed != 0)
        {
            throw ReceiveError(peekFailed);
        }
        int receiveFailed = Sys.Receive(_handle, buffer.GetReceiveSpan((int)size), peek: false, out long received);
        if (receiveFailed != 0)
        {
            throw ReceiveError(receiveFailed);
        }
        if (received != size)
        {
            throw new NetlinkProtocolException($"datagram changed size between peek ({size}) and receive ({received})");
        }
        buffer.SetLength((int)received);
        return (int)received;
    }

    /// <summary>What a receive reports for a datagram larger than the buffer it went into (a stand-in transport may report it too).</summary>
    internal static NetlinkProtocolException Truncated(long length, int bufferSize) =>
        new($"a {length}-byte datagram exceeded the {bufferSize}-byte receive buffer and was truncated; open the socket with PeekDatagramSize on");

    /// <summary>The exception a failed recv becomes (a stand-in transport throws the same, to fail as the socket does).</summary>
    internal static NetlinkException ReceiveError(int errno) => errno switch
    {
        Errno.EAGAIN => new NetlinkException(Errno.ETIMEDOUT, "receive from kernel", null, hint: "no reply within the receive timeout"),
        Errno.ENOBUFS => new NetlinkException(Errno.ENOBUFS, "receive from kernel", null, hint: "the socket receive buffer overflowed and replies were lost; send smaller batches or raise ReceiveBufferSize"),
        _ => new NetlinkException(errno, "receive from kernel", null),
    };

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
