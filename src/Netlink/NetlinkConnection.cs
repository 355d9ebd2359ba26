using System.Buffers.Binary;

namespace Netlink;

/// <summary>
/// Requests, batches and dumps over one <see cref="INetlinkTransport"/>: stamps sequence numbers and the port id,
/// matches acks and errors by sequence number, reads multipart dumps to NLMSG_DONE and repeats a dump the kernel
/// marks inconsistent. Reuse one connection for many operations; it is not thread-safe.
/// </summary>
public sealed class NetlinkConnection : IDisposable
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

    /// <summary>The transport underneath.</summary>
    public INetlinkTransport Transport => _transport;

    /// <summary>
    /// Sends the single message in <paramref name="request"/> with NLM_F_ACK and waits for its ack, passing any reply
    /// messages to <paramref name="handler"/>. Throws <see cref="NetlinkException"/> naming
    /// <paramref name="operation"/> and <paramref name="target"/> if the kernel refuses. The target is any object
    /// whose ToString names what the request is about; it is formatted only on failure, so hot loops pay nothing.
    /// </summary>
    public void Execute(NetlinkBuffer request, string operation, object? target, INetlinkReplyHandler? handler = null)
    {
        if (TryExecute(request, handler) is { } e)
        {
            throw NetlinkException.Refused(e, operation, target?.ToString());
        }
    }

    /// <summary>
    /// Like <see cref="Execute"/>, but returns the kernel's refusal instead of throwing it (null when the request
    /// succeeded), for callers that expect a refusal as an ordinary answer (a family that is not there). Transport
    /// and protocol failures still throw.
    /// </summary>
    public NetlinkOperationError? TryExecute(NetlinkBuffer request, INetlinkReplyHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        uint sequence = Stamp(request.Slice(0, request.Length), NetlinkMessageFlags.Ack, out int count);
        if (count != 1)
        {
            throw new ArgumentException($"Execute sends one message; the buffer holds {count}", nameof(request));
        }
        _errors.Clear();
        _transport.Send(request.WrittenSpan);
        ReceiveUntil(sequence, sequence, 0, handler, isDump: false, out _);
        return _errors.Count > 0 ? _errors[0] : null;
    }

    /// <summary>
    /// Sends every message in <paramref name="requests"/> (built with <see cref="NetlinkWriter"/>, any sequence
    /// numbers), many per send, and waits until the kernel has processed them all. Throws
    /// <see cref="NetlinkBatchException"/> describing the first failure with <paramref name="describe"/>.
    /// Returns the number of requests processed.
    /// </summary>
    public int ExecuteBatch(NetlinkBuffer requests, NetlinkOperationDescriber describe, NetlinkBatchOptions? options = null, INetlinkReplyHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(describe);
        options ??= NetlinkBatchOptions.Default;
        _errors.Clear();
        int offset = 0;
        int index = 0;
        while (offset < requests.Length)
        {
            int chunkEnd = offset;
            int chunkCount = 0;
            while (chunkEnd < requests.Length && chunkCount < options.MaxRequestsPerSend)
            {
                int length = MessageLengthAt(requests, chunkEnd);
                if (chunkCount > 0 && chunkEnd + length - offset > options.MaxBytesPerSend)
                {
                    break;
                }
                chunkEnd += NetlinkWriter.Align(length);
                chunkCount++;
            }
            chunkEnd = Math.Min(chunkEnd, requests.Length);
            Span<byte> chunk = requests.Slice(offset, chunkEnd - offset);
            uint first = Stamp(chunk, options.AcknowledgeEveryRequest ? NetlinkMessageFlags.Ack : NetlinkMessageFlags.None, out int stamped);
            SetAckOnLast(chunk);
            uint last = first + (uint)stamped - 1;
            _transport.Send(chunk);
            ReceiveUntil(first, last, index, handler, isDump: false, out _);
            index += stamped;
            offset = chunkEnd;
            if (_errors.Count > 0 && options.StopAtFirstError)
            {
                break;
            }
        }
        if (_errors.Count > 0)
        {
            NetlinkOperationError firstError = _errors[0];
            (string operation, string? target) = describe(firstError.Index);
            throw new NetlinkBatchException(firstError, operation, target, [.. _errors], index);
        }
        return index;
    }

    /// <summary>
    /// Sends a framed batch as ONE datagram, for protocols that apply a whole datagram atomically between a header
    /// message and a trailer message (nfnetlink's NFNL_MSG_BATCH_BEGIN ... NFNL_MSG_BATCH_END). The first message of
    /// <paramref name="messages"/> is the header, the last the trailer; neither asks for an ack. Only the last message
    /// before the trailer asks for one: the kernel reports every failing message unasked and delivers the acks after
    /// it has committed or aborted, so that ack means the batch is done. A failure of the batch as a whole (such as a
    /// stale generation id, or a failed commit) is reported against the header, index 0. The send buffer is grown to
    /// fit the datagram when the transport is a <see cref="NetlinkSocket"/>. Throws <see cref="NetlinkBatchException"/>
    /// describing the first failure with <paramref name="describe"/>; returns the number of messages sent.
    /// </summary>
    public int ExecuteFramedBatch(NetlinkBuffer messages, NetlinkOperationDescriber describe, INetlinkReplyHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(describe);
        Span<byte> all = messages.Slice(0, messages.Length);
        uint first = Stamp(all, NetlinkMessageFlags.None, out int count);
        if (count < 3)
        {
            throw new ArgumentException($"a framed batch needs a header, at least one message and a trailer; the buffer holds {count}", nameof(messages));
        }
        int acknowledged = SetAckAt(all, count - 2);
        _errors.Clear();
        if (_transport is NetlinkSocket socket)
        {
            socket.EnsureSendBufferSize(messages.Length);
        }
        _transport.Send(messages.WrittenSpan);
        uint last = first + (uint)acknowledged;
        try
        {
            ReceiveUntil(first, last, 0, handler, isDump: false, out _, stopOnHeaderError: true);
        }
        catch (NetlinkException e) when (e.ErrorNumber == Errno.ENOBUFS && _errors.Count > 0)
        {
            // So many messages failed that their errors overflowed the receive buffer; the batch was aborted.
            NetlinkOperationError lost = _errors[0];
            (string operation, string? target) = describe(lost.Index);
            throw new NetlinkBatchException(lost, operation, target, [.. _errors], count);
        }
        if (_errors.Count > 0)
        {
            NetlinkOperationError firstError = _errors[0];
            (string operation, string? target) = describe(firstError.Index);
            throw new NetlinkBatchException(firstError, operation, target, [.. _errors], count);
        }
        return count;
    }

    /// <summary>Sets NLM_F_ACK on the message at <paramref name="index"/>; returns the index.</summary>
    private static int SetAckAt(Span<byte> messages, int index)
    {
        int offset = 0;
        for (int i = 0; i < index; i++)
        {
            offset += NetlinkWriter.Align(MessageLength(messages[offset..]));
        }
        Span<byte> header = messages[offset..];
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)(flags | (ushort)NetlinkMessageFlags.Ack));
        return index;
    }

    /// <summary>
    /// Sends the dump request in <paramref name="request"/> (NLM_F_DUMP is added) and streams every reply message to
    /// <paramref name="handler"/> as it arrives, until NLMSG_DONE. If the kernel marks the dump inconsistent
    /// (NLM_F_DUMP_INTR), calls <see cref="INetlinkReplyHandler.OnDumpRestart"/> and dumps again, a bounded number of times.
    /// </summary>
    public void Dump(NetlinkBuffer request, INetlinkReplyHandler handler, string operation, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        for (int attempt = 1; ; attempt++)
        {
            uint sequence = Stamp(request.Slice(0, request.Length), NetlinkMessageFlags.Dump, out int count);
            if (count != 1)
            {
                throw new ArgumentException($"Dump sends one message; the buffer holds {count}", nameof(request));
            }
            _errors.Clear();
            _transport.Send(request.WrittenSpan);
            ReceiveUntil(sequence, sequence, 0, handler, isDump: true, out bool interrupted);
            if (_errors.Count > 0)
            {
                throw NetlinkException.Refused(_errors[0], operation, target?.ToString());
            }
            if (!interrupted)
            {
                return;
            }
            if (attempt == MaxDumpAttempts)
            {
                throw new NetlinkException(Errno.EAGAIN, operation, target?.ToString(), hint: $"the table kept changing during {MaxDumpAttempts} dumps in a row");
            }
            handler.OnDumpRestart();
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

    private static void SetAckOnLast(Span<byte> messages)
    {
        int offset = 0;
        int last = 0;
        while (offset < messages.Length)
        {
            last = offset;
            offset += NetlinkWriter.Align(MessageLength(messages[offset..]));
        }
        Span<byte> header = messages[last..];
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)(flags | (ushort)NetlinkMessageFlags.Ack));
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
    /// done. Errors for sequences first..last are recorded with their batch index; replies go to the handler;
    /// messages for other sequences (late replies to an abandoned request) are dropped. With
    /// <paramref name="stopOnHeaderError"/>, an error for sequence <paramref name="first"/> (a framed batch's header,
    /// where the kernel reports failures of the whole batch) ends the wait too.
    /// </summary>
    private void ReceiveUntil(uint first, uint last, int baseIndex, INetlinkReplyHandler? handler, bool isDump, out bool interrupted, bool stopOnHeaderError = false)
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
                        handler?.OnMessage(message);
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
