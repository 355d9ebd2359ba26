using System.Buffers.Binary;
using System.Text;

namespace Netlink;

/// <summary>Marks where a message started, so <see cref="NetlinkWriter.EndMessage"/> can write its length.</summary>
public readonly struct NetlinkMessageToken
{
    internal NetlinkMessageToken(int offset) => Offset = offset;

    internal int Offset { get; }
}

/// <summary>Marks where a nested attribute started, so <see cref="NetlinkWriter.EndNested"/> can write its length.</summary>
public readonly struct NetlinkNestToken
{
    internal NetlinkNestToken(int offset) => Offset = offset;

    internal int Offset { get; }
}

/// <summary>
/// Writes netlink messages and attributes into a <see cref="NetlinkBuffer"/>: host byte order unless a method
/// says big-endian, every attribute padded to 4 bytes, lengths back-patched when a message or nest ends.
/// Several messages may follow each other in one buffer and go out in one send.
/// </summary>
public ref struct NetlinkWriter
{
    /// <summary>Size of struct nlmsghdr.</summary>
    public const int MessageHeaderSize = 16;

    /// <summary>Size of struct nlattr.</summary>
    public const int AttributeHeaderSize = 4;

    /// <summary>NLA_F_NESTED: the attribute holds attributes.</summary>
    public const ushort NestedFlag = 0x8000;

    /// <summary>NLA_F_NET_BYTEORDER: the payload is big-endian.</summary>
    public const ushort NetworkByteOrderFlag = 0x4000;

    private readonly NetlinkBuffer _buffer;

    /// <summary>Creates a writer that appends to <paramref name="buffer"/>.</summary>
    public NetlinkWriter(NetlinkBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        _buffer = buffer;
    }

    /// <summary>Rounds <paramref name="length"/> up to netlink's 4-byte alignment (NLMSG_ALIGN / NLA_ALIGN).</summary>
    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>Starts a message: writes struct nlmsghdr with the length to be filled in later.</summary>
    public readonly NetlinkMessageToken BeginMessage(ushort type, NetlinkMessageFlags flags, uint sequence, uint portId = 0)
    {
        int offset = _buffer.Length;
        Span<byte> header = _buffer.Append(MessageHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], portId);
        return new NetlinkMessageToken(offset);
    }

    /// <summary>Ends a message: writes its length into its header.</summary>
    public readonly void EndMessage(NetlinkMessageToken token)
    {
        int length = _buffer.Length - token.Offset;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.Slice(token.Offset, 4), (uint)length);
    }

    /// <summary>Writes struct genlmsghdr (command, version, reserved).</summary>
    public readonly void WriteGenericHeader(byte command, byte version)
    {
        Span<byte> header = _buffer.Append(4);
        header[0] = command;
        header[1] = version;
        header[2] = 0;
        header[3] = 0;
    }

    /// <summary>Appends a protocol's fixed header (such as struct nfgenmsg), padded to 4 bytes.</summary>
    public readonly void WriteFixedHeader(ReadOnlySpan<byte> header)
    {
        Span<byte> span = _buffer.Append(Align(header.Length));
        header.CopyTo(span);
        span[header.Length..].Clear();
    }

    /// <summary>Starts a nested attribute; everything written until <see cref="EndNested"/> goes inside it.</summary>
    public readonly NetlinkNestToken BeginNested(ushort type)
    {
        int offset = _buffer.Length;
        Span<byte> header = _buffer.Append(AttributeHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)(type | NestedFlag));
        return new NetlinkNestToken(offset);
    }

    /// <summary>Ends a nested attribute: writes its length. Throws when it outgrew an attribute's 16-bit length.</summary>
    public readonly void EndNested(NetlinkNestToken token)
    {
        int length = _buffer.Length - token.Offset;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"nested attribute of {length} bytes exceeds netlink's limit of 65535; split it across messages");
        }
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.Slice(token.Offset, 2), (ushort)length);
    }

    /// <summary>Writes an attribute with no payload (a flag).</summary>
    public readonly void WriteFlag(ushort type) => WriteHeaderAndReserve(type, 0);

    /// <summary>Writes a u8 attribute.</summary>
    public readonly void WriteByte(ushort type, byte value) => WriteHeaderAndReserve(type, 1)[0] = value;

    /// <summary>Writes a u16 attribute in host byte order.</summary>
    public readonly void WriteUInt16(ushort type, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(WriteHeaderAndReserve(type, 2), value);

    /// <summary>Writes a u32 attribute in host byte order.</summary>
    public readonly void WriteUInt32(ushort type, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(WriteHeaderAndReserve(type, 4), value);

    /// <summary>Writes a u64 attribute in host byte order.</summary>
    public readonly void WriteUInt64(ushort type, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(WriteHeaderAndReserve(type, 8), value);

    /// <summary>Writes a __be16 attribute (ports).</summary>
    public readonly void WriteUInt16BigEndian(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(WriteHeaderAndReserve(type, 2), value);

    /// <summary>Writes a __be32 attribute.</summary>
    public readonly void WriteUInt32BigEndian(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(WriteHeaderAndReserve(type, 4), value);

    /// <summary>Writes a __be64 attribute.</summary>
    public readonly void WriteUInt64BigEndian(ushort type, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(WriteHeaderAndReserve(type, 8), value);

    /// <summary>Writes a NUL-terminated string attribute (NLA_NUL_STRING / NLA_STRING as the kernel expects).</summary>
    public readonly void WriteString(ushort type, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> payload = WriteHeaderAndReserve(type, byteCount + 1);
        Encoding.UTF8.GetBytes(value, payload);
        payload[byteCount] = 0;
    }

    /// <summary>Writes an attribute whose payload is <paramref name="value"/> as is.</summary>
    public readonly void WriteBytes(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(WriteHeaderAndReserve(type, value.Length));

    /// <summary>Writes an attribute header and returns its payload span of <paramref name="length"/> bytes to fill in; padding is zeroed.</summary>
    public readonly Span<byte> WriteHeaderAndReserve(ushort type, int length)
    {
        int total = AttributeHeaderSize + length;
        if (total > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "attribute payload exceeds netlink's limit of 65531 bytes");
        }
        Span<byte> span = _buffer.Append(Align(total));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)total);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        span[total..].Clear();
        return span.Slice(AttributeHeaderSize, length);
    }
}
