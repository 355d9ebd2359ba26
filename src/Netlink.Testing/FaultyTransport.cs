namespace Netlink.Testing;

/// <summary>
/// Wraps a transport (a <see cref="FakeIpvsSocket"/>, a <see cref="ScriptedTransport"/>, or any other) and injects the
/// faults a real netlink socket shows, so a test can check that code above the connection fails cleanly and recovers:
/// a receive or send that fails with an errno (thrown as <see cref="NetlinkSocket"/> throws it: EAGAIN as ETIMEDOUT,
/// ENOBUFS with its hint), a datagram changed on the way (cut short, stretched, grown past the receive buffer), and
/// the socket closed under an operation. Faults are counted in receives or sends from the moment they are scheduled,
/// or armed by <see cref="WhenSent"/> at the moment a matching request goes out. A failed receive consumes nothing:
/// the datagram it would have returned is returned by the next receive, as after a real EINTR or ENOBUFS. Not
/// thread-safe, like the socket it stands for.
/// </summary>
public sealed class FaultyTransport(INetlinkTransport inner) : INetlinkTransport
{
    private readonly Dictionary<int, Func<Exception>> _receiveFailures = [];
    private readonly Dictionary<int, Func<byte[], byte[]>> _tampering = [];
    private readonly Dictionary<int, Func<Exception>> _sendFailures = [];
    private readonly List<(Func<SentMessage, bool> Matches, Action<FaultyTransport> Inject)> _triggers = [];
    private int _closeAtReceive = -1;
    private bool _closed;

    /// <summary>The transport underneath.</summary>
    public INetlinkTransport Inner => inner;

    /// <inheritdoc />
    public uint PortId => inner.PortId;

    /// <summary>Receives attempted so far, failed ones included.</summary>
    public int Receives { get; private set; }

    /// <summary>Sends attempted so far, failed ones included.</summary>
    public int Sends { get; private set; }

    /// <summary>Faults that took effect so far.</summary>
    public int Injected { get; private set; }

    /// <summary>Whether the socket was closed, by <see cref="Dispose"/> or by <see cref="CloseAtReceive"/>.</summary>
    public bool IsClosed => _closed;

    /// <summary>
    /// Makes the receive after <paramref name="skip"/> more fail with <paramref name="errno"/>, as
    /// <see cref="NetlinkSocket.Receive"/> reports it (EAGAIN, an expired receive timeout, becomes ETIMEDOUT).
    /// </summary>
    public FaultyTransport FailReceive(int errno, int skip = 0)
    {
        _receiveFailures[Receives + skip + 1] = () => NetlinkSocket.ReceiveError(errno);
        return this;
    }

    /// <summary>Makes the send after <paramref name="skip"/> more fail with <paramref name="errno"/>; the kernel never sees it.</summary>
    public FaultyTransport FailSend(int errno, int skip = 0)
    {
        _sendFailures[Sends + skip + 1] = () => new NetlinkException(errno, "send to kernel", null);
        return this;
    }

    /// <summary>
    /// Changes the datagram that the receive after <paramref name="skip"/> more returns (see <see cref="CutShort"/>,
    /// <see cref="StretchFirstAttribute"/>); the copy <paramref name="tamper"/> returns is what the caller gets.
    /// </summary>
    public FaultyTransport TamperReceive(Func<byte[], byte[]> tamper, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(tamper);
        _tampering[Receives + skip + 1] = tamper;
        return this;
    }

    /// <summary>
    /// Makes the receive after <paramref name="skip"/> more find a datagram of <paramref name="length"/> bytes larger
    /// than a receive buffer of <paramref name="bufferSize"/>: it fails as <see cref="NetlinkSocket"/> fails with
    /// PeekDatagramSize off (MSG_TRUNC), and the datagram is gone, as recv consumed it.
    /// </summary>
    public FaultyTransport OversizeReceive(int length, int bufferSize, int skip = 0)
    {
        _receiveFailures[Receives + skip + 1] = () =>
        {
            using var scratch = new NetlinkBuffer(bufferSize);
            inner.Receive(scratch); // consumed, as a real recv consumes the datagram it cut
            return NetlinkSocket.Truncated(length, bufferSize);
        };
        return this;
    }

    /// <summary>
    /// Closes the socket at the receive after <paramref name="skip"/> more, as when another thread disposed it or its
    /// descriptor went: that receive and every later call throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public FaultyTransport CloseAtReceive(int skip = 0)
    {
        _closeAtReceive = Receives + skip + 1;
        return this;
    }

    /// <summary>
    /// Runs <paramref name="inject"/> once, when a datagram holding a message that <paramref name="matches"/> is sent
    /// (before it reaches the kernel), so faults can be placed relative to one request: the first receive after it
    /// is then <c>skip: 0</c>.
    /// </summary>
    public FaultyTransport WhenSent(Func<SentMessage, bool> matches, Action<FaultyTransport> inject)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(inject);
        _triggers.Add((matches, inject));
        return this;
    }

    /// <summary>A tamper that drops the last <paramref name="bytes"/> of the datagram, so its last message claims more than is there.</summary>
    public static Func<byte[], byte[]> CutShort(int bytes) => datagram => datagram[..Math.Max(0, datagram.Length - bytes)];

    /// <summary>
    /// A tamper that makes the first attribute after the first message's netlink header and <paramref name="headerBytes"/>
    /// of protocol header (4 for generic netlink) claim more bytes than its message holds.
    /// </summary>
    public static Func<byte[], byte[]> StretchFirstAttribute(int headerBytes = 4) => datagram =>
    {
        byte[] copy = (byte[])datagram.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(NetlinkWriter.MessageHeaderSize + headerBytes), 0xFFF0);
        return copy;
    };

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> datagram)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        Sends++;
        if (_triggers.Count > 0)
        {
            List<SentMessage> messages = ScriptedTransport.Parse(datagram);
            foreach (var trigger in _triggers.Where(t => messages.Any(t.Matches)).ToList())
            {
                _triggers.Remove(trigger);
                trigger.Inject(this);
            }
        }
        if (_sendFailures.Remove(Sends, out Func<Exception>? failure))
        {
            Injected++;
            throw failure();
        }
        inner.Send(datagram);
    }

    /// <inheritdoc />
    public int Receive(NetlinkBuffer buffer)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        Receives++;
        if (Receives == _closeAtReceive)
        {
            Injected++;
            Dispose();
            ObjectDisposedException.ThrowIf(_closed, this);
        }
        if (_receiveFailures.Remove(Receives, out Func<Exception>? failure))
        {
            Injected++;
            throw failure();
        }
        int length = inner.Receive(buffer);
        if (_tampering.Remove(Receives, out Func<byte[], byte[]>? tamper))
        {
            Injected++;
            byte[] changed = tamper(buffer.WrittenSpan.ToArray());
            buffer.SetReceived(changed);
            return changed.Length;
        }
        return length;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _closed = true;
        inner.Dispose();
    }
}
