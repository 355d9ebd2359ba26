namespace Netlink.Testing;

/// <summary>
/// One netlink socket on a <see cref="FakeIpvsKernel"/>: what a <see cref="NetlinkConnection"/> sends goes to the
/// kernel at once, and the kernel's answers wait in this socket's queue until received. Like a real socket whose
/// receive timeout expired, <see cref="Receive"/> throws ETIMEDOUT when nothing waits, so a test never hangs. As on a
/// real socket, a dump whose reader stopped midway (an exception between its datagrams) is still running: the kernel
/// makes its next datagram only as the earlier ones are received, so until its NLMSG_DONE is the next to be read,
/// another dump request on this socket is refused with EBUSY (netlink_dump_start).
/// </summary>
public sealed class FakeIpvsSocket : INetlinkTransport
{
    private readonly FakeIpvsKernel _kernel;
    private readonly Queue<byte[]> _queue = new();
    private bool _disposed;

    internal FakeIpvsSocket(FakeIpvsKernel kernel, uint portId)
    {
        _kernel = kernel;
        PortId = portId;
    }

    /// <inheritdoc />
    public uint PortId { get; }

    /// <summary>Datagrams the kernel sent that were not received yet.</summary>
    public int Pending => _queue.Count;

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> datagram)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _kernel.Process(datagram, PortId, _queue, DumpRunning());
    }

    /// <summary>
    /// Whether a dump is unfinished. The kernel queued every datagram of it at once, where a real one has made only the
    /// first not yet received, and makes the one with NLMSG_DONE (which ends the dump) when the one before is received:
    /// so a dump runs while a datagram of it waits before the one holding its NLMSG_DONE.
    /// </summary>
    private bool DumpRunning()
    {
        var earlier = new HashSet<uint>();
        foreach (byte[] datagram in _queue)
        {
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out NetlinkMessage message))
            {
                if (message.Type == NetlinkMessageType.Done && earlier.Contains(message.Sequence))
                {
                    return true;
                }
            }
            reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out NetlinkMessage message))
            {
                earlier.Add(message.Sequence);
            }
        }
        return false;
    }

    /// <inheritdoc />
    public int Receive(NetlinkBuffer buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(buffer);
        if (!_queue.TryDequeue(out byte[]? datagram))
        {
            throw ScriptedTransport.Timeout();
        }
        buffer.SetReceived(datagram);
        return datagram.Length;
    }

    /// <inheritdoc />
    public void Dispose() => _disposed = true;
}
