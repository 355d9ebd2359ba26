using System.Buffers.Binary;

namespace Netlink;

/// <summary>One netlink message: the fields of struct nlmsghdr and the payload after it.</summary>
public readonly ref struct NetlinkMessage
{
    /// <summary>Creates a view of a message.</summary>
    public NetlinkMessage(ushort type, NetlinkMessageFlags flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Payload = payload;
    }

    /// <summary>nlmsg_type.</summary>
    public ushort Type { get; }

    /// <summary>nlmsg_flags.</summary>
    public NetlinkMessageFlags Flags { get; }

    /// <summary>nlmsg_seq.</summary>
    public uint Sequence { get; }

    /// <summary>nlmsg_pid: the sender's port id (0 for the kernel).</summary>
    public uint PortId { get; }

    /// <summary>Everything after the 16-byte header, up to nlmsg_len.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>For generic netlink: the command byte of struct genlmsghdr.</summary>
    public byte GenericCommand => Payload.Length >= 4 ? Payload[0] : throw new NetlinkProtocolException("generic netlink message shorter than its 4-byte header");

    /// <summary>For generic netlink: the attributes after struct genlmsghdr.</summary>
    public NetlinkAttributeReader GenericAttributes => Attributes(4);

    /// <summary>The attributes after a fixed header of <paramref name="fixedHeaderSize"/> bytes.</summary>
    public NetlinkAttributeReader Attributes(int fixedHeaderSize)
    {
        int aligned = NetlinkWriter.Align(fixedHeaderSize);
        if (Payload.Length < fixedHeaderSize)
        {
            throw new NetlinkProtocolException($"message of type {Type} has {Payload.Length} payload bytes, shorter than its {fixedHeaderSize}-byte header");
        }
        return new NetlinkAttributeReader(Payload.Length >= aligned ? Payload[aligned..] : []);
    }

    /// <summary>Reads struct nlmsgerr's error field: 0 for an ack, minus errno for an error.</summary>
    internal int ReadErrorCode()
    {
        if (Payload.Length < 4)
        {
            throw new NetlinkProtocolException($"error message with {Payload.Length} payload bytes, need at least 4");
        }
        return BinaryPrimitives.ReadInt32LittleEndian(Payload);
    }
}

/// <summary>Walks the messages in a received datagram, checking every length.</summary>
public ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    /// <summary>Creates a reader over one datagram.</summary>
    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    /// <summary>Reads the next message; false at the end. Throws <see cref="NetlinkProtocolException"/> on a bad length.</summary>
    public bool TryRead(out NetlinkMessage message)
    {
        if (_remaining.IsEmpty)
        {
            message = default;
            return false;
        }
        if (_remaining.Length < NetlinkWriter.MessageHeaderSize)
        {
            throw new NetlinkProtocolException($"{_remaining.Length} trailing bytes, shorter than a message header");
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_remaining);
        if (length < NetlinkWriter.MessageHeaderSize || length > (uint)_remaining.Length)
        {
            throw new NetlinkProtocolException($"message length {length} outside 16..{_remaining.Length}");
        }
        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_remaining[4..]),
            (NetlinkMessageFlags)BinaryPrimitives.ReadUInt16LittleEndian(_remaining[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_remaining[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_remaining[12..]),
            _remaining[NetlinkWriter.MessageHeaderSize..(int)length]);
        int advance = Math.Min(NetlinkWriter.Align((int)length), _remaining.Length);
        _remaining = _remaining[advance..];
        return true;
    }
}
