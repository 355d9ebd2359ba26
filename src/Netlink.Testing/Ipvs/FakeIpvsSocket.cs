namespace Netlink.Testing;

/// <summary>
/// One netlink socket on a <see cref="FakeIpvsKernel"/>: what a <see cref="NetlinkConnection"/> sends goes to the
/// kernel at once, and the kernel's answers wait in this socket's queue until received. Like a real socket whose
/// receive timeout expired, <see cref="Receive"/> throws ETIMEDOUT when nothing waits, so a test never hangs.
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
        _kernel.Process(datagram, PortId, _queue);
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
