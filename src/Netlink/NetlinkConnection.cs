using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Netlink;

/// <summary>
/// Requests, batches and dumps over one <see cref="INetlinkTransport"/>: stamps sequence numbers and the port id,
/// matches acks and errors by sequence number, reads multipart dumps to NLMSG_DONE and repeats a dump the kernel
/// marks inconsistent. Reuse one connection for many operations. Not thread-safe: one operation at a time; a second
/// operation that starts while one is in progress (from another thread, or from a reply callback) throws
/// <see cref="InvalidOperationException"/> instead of corrupting the first.
/// </summary>
public sealed partial class NetlinkConnection : IDisposable
{
    private const int MaxDumpAttempts = 8;
    private const int NlmsgerrAttrMsg = 1;
    private const int NlmsgerrAttrOffs = 2;

    private readonly INetlinkTransport _transport;
    private readonly bool _ownsTransport;
    private readonly NetlinkBuffer _receive = new(64 * 1024);
    private readonly List<NetlinkOperationError> _errors = [];
    private uint _sequence;

    /// <summary>Wraps a transport (a <see cref="NetlinkSocket"/>, or a test's stand-in for the kernel).</summary>
    public NetlinkConnection(INetlinkTransport transport, bool ownsTransport = true)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        _ownsTransport = ownsTransport;
        // Start away from 0 so replies to an earlier process's requests on a reused port are not mistaken for ours.
        _sequence = (uint)Environment.TickCount64 | 1;
    }

    /// <summary>Opens a socket for <paramref name="protocol"/> and wraps it.</summary>
    public static NetlinkConnection Open(NetlinkProtocol protocol, NetlinkSocketOptions? options = null) => new(NetlinkSocket.Open(protocol, options));

    /// <summary>
    /// Like <see cref="Open"/>, but a kernel that does not offer <paramref name="protocol"/> at all (socket() fails with
    /// EPROTONOSUPPORT: not built, or its module not loaded) is an answer: returns false with the reason. Every other
    /// failure (no such namespace, no permission) still throws.
    /// </summary>
    public static bool TryOpen(NetlinkProtocol protocol, NetlinkSocketOptions? options, [NotNullWhen(true)] out NetlinkConnection? connection, [NotNullWhen(false)] out string? unavailableReason)
    {
        try
        {
            connection = Open(protocol, options);
            unavailableReason = null;
            return true;
        }
        catch (NetlinkException e) when (e.ErrorNumber == Errno.EPROTONOSUPPORT)
        {
            connection = null;
            unavailableReason = $"this kernel does not offer netlink protocol {protocol} ({(int)protocol})";
            return false;
        }
    }

    /// <summary>The transport underneath.</summary>
    public INetlinkTransport Transport => _transport;

    /// <summary>
    /// Sends the single message in <paramref name="request"/> with NLM_F_ACK and waits for its ack. Throws
    /// <see cref="NetlinkException"/> naming <paramref name="operation"/> and <paramref name="target"/> if the kernel
    /// refuses. The target is any object whose ToString names what the request is about; it is formatted only on
    /// failure, so hot loops pay nothing.
    /// </summary>
    public void Execute(NetlinkBuffer request, string operation, object? target)
    {
        if (TryExecute(request) is { } e)
        {
            throw NetlinkException.Refused(e, operation, target?.ToString());
        }
    }

    /// <summary>
    /// Like <see cref="Execute"/>, but returns the kernel's refusal instead of throwing it (null when the request
    /// succeeded), for callers that expect a refusal as an ordinary answer. Transport and protocol failures still throw.
    /// </summary>
    public NetlinkOperationError? TryExecute(NetlinkBuffer request) => TryQuery<object>(request, static _ => null, out _);

    /// <summary>
    /// Sends a request that the kernel answers with one reply message before its ack (a GET of one object), and
    /// returns that reply parsed by <paramref name="parse"/>: the first message it does not skip, or null when none
    /// came. Throws <see cref="NetlinkException"/> naming <paramref name="operation"/> and <paramref name="target"/>
    /// if the kernel refuses.
    /// </summary>
    public T? Query<T>(NetlinkBuffer request, NetlinkMessageParser<T> parse, string operation, object? target)
    {
        if (TryQuery(request, parse, out T? reply) is { } e)
        {
            throw NetlinkException.Refused(e, operation, target?.ToString());
        }
        return reply;
    }

    /// <summary>
    /// Like <see cref="Query"/>, but returns the kernel's refusal instead of throwing it (null when the request
    /// succeeded, and then <paramref name="reply"/> holds the answer), for callers that expect a refusal as an ordinary
    /// answer (a generic netlink family that is not there). Transport and protocol failures still throw.
    /// </summary>
    public NetlinkOperationError? TryQuery<T>(NetlinkBuffer request, NetlinkMessageParser<T> parse, out T? reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parse);
        Enter();
        try
        {
            uint sequence = Stamp(request.Slice(0, request.Length), NetlinkMessageFlags.Ack, out int count);
            if (count != 1)
            {
                throw new ArgumentException($"Execute sends one message; the buffer holds {count}", nameof(request));
            }
            var first = new FirstReply<T>(parse);
            _errors.Clear();
            _transport.Send(request.WrittenSpan);
            ReceiveUntil(sequence, sequence, 0, first, isDump: false, out _);
            reply = first.Value;
            return _errors.Count > 0 ? _errors[0] : null;
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// Writes sequence numbers, the port id and NLM_F_REQUEST plus <paramref name="extra"/> into every message of
    /// <paramref name="messages"/>; returns the first sequence number. Clears NLM_F_ACK unless <paramref name="extra"/> has it.
    /// </summary>
    private uint Stamp(Span<byte> messages, NetlinkMessageFlags extra, out int count)
    {
        // Replies are matched as first..first+count-1, so the numbers must not wrap through 0 (which is skipped) mid-run.
        int total = 0;
        for (int at = 0; at < messages.Length; at += NetlinkWriter.Align(MessageLength(messages[at..])))
        {
            total++;
        }
        if (total > 1 && _sequence + (uint)(total - 1) < _sequence)
        {
            _sequence = 1;
        }
        uint first = _sequence;
        count = 0;
        int offset = 0;
        while (offset < messages.Length)
        {
            int length = MessageLength(messages[offset..]);
            Span<byte> header = messages[offset..];
            var flags = (NetlinkMessageFlags)BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            flags = (flags & ~NetlinkMessageFlags.Ack) | NetlinkMessageFlags.Request | extra;
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)flags);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], NextSequence());
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], _transport.PortId);
            offset += NetlinkWriter.Align(length);
            count++;
        }
        if (count == 0)
        {
            throw new ArgumentException("no message to send", nameof(messages));
        }
        return first;
    }

    private uint NextSequence()
    {
        uint sequence = _sequence++;
        if (_sequence == 0)
        {
            _sequence = 1;
        }
        return sequence;
    }

    private static int MessageLengthAt(NetlinkBuffer buffer, int offset) => MessageLength(buffer.Slice(offset, buffer.Length - offset));

    private static int MessageLength(ReadOnlySpan<byte> at)
    {
        if (at.Length < NetlinkWriter.MessageHeaderSize)
        {
            throw new ArgumentException("request buffer ends inside a message header");
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(at);
        if (length < NetlinkWriter.MessageHeaderSize || length > at.Length)
        {
            throw new ArgumentException($"request message length {length} is wrong; was EndMessage called?");
        }
        return (int)length;
    }

    /// <summary>
    /// Receives until the request with sequence <paramref name="last"/> is acknowledged, refused, or (for a dump)
    /// done. Errors for sequences first..last are recorded with their batch index; replies go to
    /// <paramref name="replies"/>;
    /// messages for other sequences (late replies to an abandoned request) are dropped. With
    /// <paramref name="stopOnHeaderError"/>, an error for sequence <paramref name="first"/> (a framed batch's header,
    /// where the kernel reports failures of the whole batch) ends the wait too.
    /// </summary>
    private void ReceiveUntil(uint first, uint last, int baseIndex, IDumpReceiver<NetlinkMessage>? replies, bool isDump, out bool interrupted, bool stopOnHeaderError = false)
    {
        interrupted = false;
        while (true)
        {
            _transport.Receive(_receive);
            var reader = new NetlinkMessageReader(_receive.WrittenSpan);
            while (reader.TryRead(out NetlinkMessage message))
            {
                uint offsetInBatch = message.Sequence - first;
                if (offsetInBatch > last - first)
                {
                    continue;
                }
                if ((message.Flags & NetlinkMessageFlags.DumpInterrupted) != 0)
                {
                    interrupted = true;
                }
                switch (message.Type)
                {
                    case NetlinkMessageType.Noop:
                        break;
                    case NetlinkMessageType.Overrun:
                        throw new NetlinkException(Errno.ENOBUFS, "receive from kernel", null, hint: "the kernel reported lost data (NLMSG_OVERRUN)");
                    case NetlinkMessageType.Error:
                        int code = message.ReadErrorCode();
                        if (code < 0)
                        {
                            RecordError(message, code, baseIndex + (int)offsetInBatch);
                        }
                        if (message.Sequence == last || (stopOnHeaderError && code < 0 && message.Sequence == first))
                        {
                            return;
                        }
                        break;
                    case NetlinkMessageType.Done:
                        // A dump that failed midway ends with the negative errno in NLMSG_DONE's payload.
                        if (message.Payload.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(message.Payload) < 0)
                        {
                            RecordError(message, BinaryPrimitives.ReadInt32LittleEndian(message.Payload), baseIndex + (int)offsetInBatch);
                        }
                        if (isDump && message.Sequence == last)
                        {
                            return;
                        }
                        break;
                    default:
                        replies?.OnItem(message);
                        break;
                }
            }
        }
    }

    private void RecordError(NetlinkMessage message, int code, int index)
    {
        string? kernelMessage = null;
        int? kernelOffset = null;
        if ((message.Flags & NetlinkMessageFlags.AckTlvs) != 0)
        {
            // NLMSG_DONE: the int error, then the TLVs (netlink_dump_done). NLMSG_ERROR: struct nlmsgerr (error, then
            // the request's header, then its payload unless the ack was capped), then the TLVs.
            int skip = message.Type == NetlinkMessageType.Done ? 4 : 4 + NetlinkWriter.MessageHeaderSize;
            if (message.Type != NetlinkMessageType.Done && (message.Flags & NetlinkMessageFlags.Capped) == 0 && message.Payload.Length >= skip)
            {
                // The echoed request's nlmsg_len; never trusted beyond the bytes that are actually there.
                uint echoed = BinaryPrimitives.ReadUInt32LittleEndian(message.Payload[4..]);
                skip = echoed > (uint)(message.Payload.Length - 4) ? message.Payload.Length : 4 + Math.Max(NetlinkWriter.MessageHeaderSize, (int)echoed);
            }
            skip = NetlinkWriter.Align(skip);
            if (message.Payload.Length > skip)
            {
                foreach (NetlinkAttribute attribute in new NetlinkAttributeReader(message.Payload[skip..]))
                {
                    if (attribute.Type == NlmsgerrAttrMsg)
                    {
                        kernelMessage = attribute.GetString();
                    }
                    else if (attribute.Type == NlmsgerrAttrOffs && attribute.Payload.Length == 4)
                    {
                        kernelOffset = (int)attribute.GetUInt32();
                    }
                }
            }
        }
        _errors.Add(new NetlinkOperationError(index, -code, kernelMessage, kernelOffset));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _receive.Dispose();
        if (_ownsTransport)
        {
            _transport.Dispose();
        }
    }
}
