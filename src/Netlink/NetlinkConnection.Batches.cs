using System.Buffers.Binary;

namespace Netlink;

public sealed partial class NetlinkConnection
{
    /// <summary>
    /// Sends every message in <paramref name="requests"/> (built with <see cref="NetlinkWriter"/>, any sequence
    /// numbers), many per send, and waits until the kernel has processed them all. Throws
    /// <see cref="NetlinkBatchException"/> describing the first failure with <paramref name="describe"/>. Replies other
    /// than acks and errors go to <paramref name="onReply"/>. Returns the number of requests processed.
    /// </summary>
    public int ExecuteBatch(NetlinkBuffer requests, NetlinkOperationDescriber describe, NetlinkBatchOptions? options = null, Action<NetlinkMessage>? onReply = null)
    {
        Enter();
        try
        {
            return ExecuteBatchAlone(requests, describe, options, onReply);
        }
        finally
        {
            Leave();
        }
    }

    private int ExecuteBatchAlone(NetlinkBuffer requests, NetlinkOperationDescriber describe, NetlinkBatchOptions? options, Action<NetlinkMessage>? onReply)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(describe);
        options ??= NetlinkBatchOptions.Default;
        ReplyCallback? replies = onReply is null ? null : new ReplyCallback(onReply);
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
            ReceiveUntil(first, last, index, replies, isDump: false, out _);
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
    public int ExecuteFramedBatch(NetlinkBuffer messages, NetlinkOperationDescriber describe, Action<NetlinkMessage>? onReply = null)
    {
        Enter();
        try
        {
            return ExecuteFramedBatchAlone(messages, describe, onReply);
        }
        finally
        {
            Leave();
        }
    }

    private int ExecuteFramedBatchAlone(NetlinkBuffer messages, NetlinkOperationDescriber describe, Action<NetlinkMessage>? onReply)
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
            ReceiveUntil(first, last, 0, onReply is null ? null : new ReplyCallback(onReply), isDump: false, out _, stopOnHeaderError: true);
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
}
