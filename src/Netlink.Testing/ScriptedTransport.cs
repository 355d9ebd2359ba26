using System.Buffers.Binary;

namespace Netlink.Testing;

/// <summary>One message of a datagram the library sent, parsed independently of the library's own reader.</summary>
/// <param name="Type">nlmsg_type.</param>
/// <param name="Flags">nlmsg_flags.</param>
/// <param name="Sequence">nlmsg_seq.</param>
/// <param name="PortId">nlmsg_pid.</param>
/// <param name="Payload">The bytes after the header, up to nlmsg_len.</param>
/// <param name="Raw">The whole message, header included, up to nlmsg_len.</param>
public sealed record SentMessage(ushort Type, NetlinkMessageFlags Flags, uint Sequence, uint PortId, byte[] Payload, byte[] Raw)
{
    /// <summary>nlmsg_len.</summary>
    public int Length => Raw.Length;

    /// <summary>Whether every bit of <paramref name="flags"/> is set.</summary>
    public bool Has(NetlinkMessageFlags flags) => (Flags & flags) == flags;

    /// <summary>For generic netlink: genlmsghdr.cmd.</summary>
    public byte GenericCommand => Payload[0];
}

/// <summary>
/// Stands in for the kernel behind a <see cref="NetlinkConnection"/>. Records every datagram sent; after each send,
/// asks a responder for the datagrams the "kernel" answers with and queues them. <see cref="Receive"/> hands them
/// out one at a time and, like a socket whose receive timeout expired, throws ETIMEDOUT when nothing is queued,
/// so a test can never hang. Replies are built with <see cref="KernelReplies"/>.
/// </summary>
public sealed class ScriptedTransport : INetlinkTransport
{
    private readonly Func<IReadOnlyList<SentMessage>, IEnumerable<byte[]>> _respond;
    private readonly Queue<object> _pending = new();
    private readonly List<byte[]> _sentDatagrams = [];
    private readonly List<IReadOnlyList<SentMessage>> _sentBatches = [];

    /// <summary>Creates a transport whose kernel answers each send with what <paramref name="respond"/> returns
    /// (null: answers nothing; queue replies with <see cref="Enqueue"/>).</summary>
    public ScriptedTransport(Func<IReadOnlyList<SentMessage>, IEnumerable<byte[]>>? respond = null, uint portId = 0x0000_4321)
    {
        _respond = respond ?? (_ => []);
        PortId = portId;
    }

    /// <summary>A kernel that acknowledges every request that asked for an ack.</summary>
    public static ScriptedTransport AckEverything(uint portId = 0x0000_4321) =>
        new(messages => [KernelReplies.Datagram([.. messages.Where(m => m.Has(NetlinkMessageFlags.Ack)).Select(m => KernelReplies.Ack(m))])], portId);

    /// <inheritdoc />
    public uint PortId { get; }

    /// <summary>Every datagram sent, byte for byte.</summary>
    public IReadOnlyList<byte[]> SentDatagrams => _sentDatagrams;

    /// <summary>The messages of every datagram sent, one list per send.</summary>
    public IReadOnlyList<IReadOnlyList<SentMessage>> SentBatches => _sentBatches;

    /// <summary>Every message sent, in order.</summary>
    public IEnumerable<SentMessage> SentMessages => _sentBatches.SelectMany(b => b);

    /// <summary>How many times <see cref="Receive"/> was called.</summary>
    public int ReceiveCalls { get; private set; }

    /// <summary>Datagrams (and failures) queued and not yet received.</summary>
    public int Pending => _pending.Count;

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Queues a datagram for a later <see cref="Receive"/>, as if the kernel had sent it unprompted.</summary>
    public void Enqueue(byte[] datagram) => _pending.Enqueue(datagram);

    /// <summary>Queues a failure that <see cref="Receive"/> will throw in turn.</summary>
    public void EnqueueFailure(Exception exception) => _pending.Enqueue(exception);

    /// <summary>The exception a real socket throws when its receive timeout expires.</summary>
    public static NetlinkException Timeout() => new(Errno.ETIMEDOUT, "receive from kernel", null, hint: "no reply within the receive timeout");

    /// <summary>Splits a datagram into its messages, checking every length (throws on malformed requests).</summary>
    public static List<SentMessage> Parse(ReadOnlySpan<byte> datagram)
    {
        var messages = new List<SentMessage>();
        int offset = 0;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < 16)
            {
                throw new InvalidOperationException($"sent datagram has {datagram.Length - offset} trailing bytes at {offset}, shorter than a header");
            }
            ReadOnlySpan<byte> at = datagram[offset..];
            int length = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(at));
            if (length < 16 || length > at.Length)
            {
                throw new InvalidOperationException($"sent message at {offset} has nlmsg_len {length}, outside 16..{at.Length}");
            }
            messages.Add(new SentMessage(
                BinaryPrimitives.ReadUInt16LittleEndian(at[4..]),
                (NetlinkMessageFlags)BinaryPrimitives.ReadUInt16LittleEndian(at[6..]),
                BinaryPrimitives.ReadUInt32LittleEndian(at[8..]),
                BinaryPrimitives.ReadUInt32LittleEndian(at[12..]),
                at[16..length].ToArray(),
                at[..length].ToArray()));
            offset = Math.Min(offset + ((length + 3) & ~3), datagram.Length);
        }
        return messages;
    }

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> datagram)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        byte[] copy = datagram.ToArray();
        List<SentMessage> messages = Parse(copy);
        _sentDatagrams.Add(copy);
        _sentBatches.Add(messages);
        foreach (byte[] reply in _respond(messages))
        {
            _pending.Enqueue(reply);
        }
    }

    /// <inheritdoc />
    public int Receive(NetlinkBuffer buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentNullException.ThrowIfNull(buffer);
        ReceiveCalls++;
        if (!_pending.TryDequeue(out object? next))
        {
            throw Timeout();
        }
        if (next is Exception failure)
        {
            throw failure;
        }
        var datagram = (byte[])next;
        buffer.SetReceived(datagram);
        return datagram.Length;
    }

    /// <inheritdoc />
    public void Dispose() => IsDisposed = true;
}
