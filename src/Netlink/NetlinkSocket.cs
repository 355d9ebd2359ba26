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
        NetlinkSafeHandle handle = Sys.OpenNetlinkSocket((int)protocol);
        try
        {
            // Older kernels lack some of these; each only improves error reports, so a refusal is not fatal.
            Sys.TrySetSocketOption(handle, SolNetlink, NetlinkExtAck, 1, out _);
            Sys.TrySetSocketOption(handle, SolNetlink, NetlinkCapAck, 1, out _);
            Sys.TrySetSocketOption(handle, SolNetlink, NetlinkGetStrictCheck, 1, out _);
            SetBuffer(handle, SoSndBufForce, SoSndBuf, options.SendBufferSize);
            SetBuffer(handle, SoRcvBufForce, SoRcvBuf, options.ReceiveBufferSize);
            Sys.SetReceiveTimeout(handle, options.ReceiveTimeout);
            uint portId = Sys.BindAndGetPortId(handle);
            return new NetlinkSocket(handle, protocol, portId, options);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The receive buffer the kernel granted (SO_RCVBUF reads back twice what was asked, for overhead).</summary>
    public int ReceiveBufferSize => Sys.GetSocketOption(_handle, SolSocket, SoRcvBuf);

    /// <summary>Grows the receive buffer to at least <paramref name="bytes"/>; never shrinks it.</summary>
    public void EnsureReceiveBufferSize(int bytes)
    {
        if (ReceiveBufferSize < bytes)
        {
            SetBuffer(_handle, SoRcvBufForce, SoRcvBuf, bytes);
        }
    }

    /// <summary>The send buffer the kernel granted (SO_SNDBUF reads back twice what was asked). A datagram must fit in it.</summary>
    public int SendBufferSize => Sys.GetSocketOption(_handle, SolSocket, SoSndBuf);

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
        if (!Sys.TrySetSocketOption(handle, SolSocket, forced, bytes, out _))
        {
            Sys.TrySetSocketOption(handle, SolSocket, plain, bytes, out _);
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
            // MSG_TRUNC makes recv return the datagram's true length, so a cut datagram is detected, never parsed.
            long length = Sys.Receive(_handle, buffer.GetReceiveSpan(_maxDatagram), peek: false);
            if (length < 0)
            {
                throw ReceiveError((int)-length);
            }
            if (length > buffer.Capacity)
            {
                throw new NetlinkProtocolException($"a {length}-byte datagram exceeded the {buffer.Capacity}-byte receive buffer and was truncated; open the socket with PeekDatagramSize on");
            }
            buffer.SetLength((int)length);
            return (int)length;
        }
        // Peek with MSG_TRUNC learns the datagram's true size without consuming it, so nothing is ever cut off.
        long size = Sys.Receive(_handle, buffer.GetReceiveSpan(64 * 1024), peek: true);
        if (size < 0)
        {
            throw ReceiveError((int)-size);
        }
        long received = Sys.Receive(_handle, buffer.GetReceiveSpan((int)size), peek: false);
        if (received < 0)
        {
            throw ReceiveError((int)-received);
        }
        if (received != size)
        {
            throw new NetlinkProtocolException($"datagram changed size between peek ({size}) and receive ({received})");
        }
        buffer.SetLength((int)received);
        return (int)received;
    }

    private static NetlinkException ReceiveError(int errno) => errno switch
    {
        Errno.EAGAIN => new NetlinkException(Errno.ETIMEDOUT, "receive from kernel", null, hint: "no reply within the receive timeout"),
        Errno.ENOBUFS => new NetlinkException(Errno.ENOBUFS, "receive from kernel", null, hint: "the socket receive buffer overflowed and replies were lost; send smaller batches or raise ReceiveBufferSize"),
        _ => new NetlinkException(errno, "receive from kernel", null),
    };

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
