using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace Netlink;

/// <summary>One attribute (struct nlattr and its payload). Getters check the payload's length and throw
/// <see cref="NetlinkProtocolException"/> when it does not match the type asked for.</summary>
#pragma warning disable CA1711 // "attribute" is netlink's own name for a TLV (struct nlattr)
public readonly ref struct NetlinkAttribute
#pragma warning restore CA1711
{
    /// <summary>Creates a view of an attribute from its raw type field and payload.</summary>
    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload)
    {
        RawType = rawType;
        Payload = payload;
    }

    /// <summary>nla_type with the NESTED and NET_BYTEORDER flag bits removed (NLA_TYPE_MASK).</summary>
    public ushort Type => (ushort)(RawType & 0x3FFF);

    /// <summary>nla_type as it was on the wire.</summary>
    public ushort RawType { get; }

    /// <summary>Whether NLA_F_NESTED was set. Many kernel families nest without setting it, so readers should not rely on it.</summary>
    public bool IsNestedFlagSet => (RawType & NetlinkWriter.NestedFlag) != 0;

    /// <summary>The payload bytes (without padding).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Reads a u8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte GetByte() => Expect(1)[0];

    /// <summary>Reads a u16 in host byte order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort GetUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Expect(2));

    /// <summary>Reads a u32 in host byte order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint GetUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Expect(4));

    /// <summary>Reads an s32 in host byte order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetInt32() => BinaryPrimitives.ReadInt32LittleEndian(Expect(4));

    /// <summary>Reads a u64 in host byte order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong GetUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Expect(8));

    /// <summary>Reads a __be16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ushort GetUInt16BigEndian() => BinaryPrimitives.ReadUInt16BigEndian(Expect(2));

    /// <summary>Reads a __be32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint GetUInt32BigEndian() => BinaryPrimitives.ReadUInt32BigEndian(Expect(4));

    /// <summary>Reads a __be64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong GetUInt64BigEndian() => BinaryPrimitives.ReadUInt64BigEndian(Expect(8));

    /// <summary>Reads a string, stopping at the first NUL (the kernel NUL-terminates most strings; some are not).</summary>
    public string GetString()
    {
        ReadOnlySpan<byte> bytes = GetStringBytes();
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The string's bytes without the terminating NUL, for comparisons that need not allocate.</summary>
    public ReadOnlySpan<byte> GetStringBytes()
    {
        int nul = Payload.IndexOf((byte)0);
        return nul >= 0 ? Payload[..nul] : Payload;
    }

    /// <summary>Reads the payload as attributes.</summary>
    public NetlinkAttributeReader GetNested() => new(Payload);

    /// <summary>Returns the payload, checking it holds exactly <paramref name="length"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Expect(int length)
    {
        if (Payload.Length != length)
        {
            ThrowLength(Type, Payload.Length, length, exact: true);
        }
        return Payload;
    }

    /// <summary>Returns the payload, checking it holds at least <paramref name="length"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ExpectAtLeast(int length)
    {
        if (Payload.Length < length)
        {
            ThrowLength(Type, Payload.Length, length, exact: false);
        }
        return Payload;
    }

    // Throwing from a helper keeps the getters small enough to inline: decoding walks millions of attributes.
    [DoesNotReturn]
    private static void ThrowLength(ushort type, int actual, int expected, bool exact) =>
        throw new NetlinkProtocolException($"attribute {type} has {actual} payload bytes, expected {(exact ? "" : "at least ")}{expected}");
}

/// <summary>Walks a run of attributes, checking every length. Unknown attributes are simply yielded; callers skip them.</summary>
public ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _remaining;
    private NetlinkAttribute _current;

    /// <summary>Creates a reader over attribute bytes.</summary>
    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    /// <summary>The attribute <see cref="MoveNext"/> last read.</summary>
    public readonly NetlinkAttribute Current => _current;

    /// <summary>Lets <c>foreach</c> walk the attributes.</summary>
    public readonly NetlinkAttributeReader GetEnumerator() => this;

    /// <summary>Advances to the next attribute; false at the end.</summary>
    public bool MoveNext() => TryRead(out _current);

    /// <summary>Reads the next attribute; false at the end. Throws <see cref="NetlinkProtocolException"/> on a bad length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out NetlinkAttribute attribute)
    {
        if (_remaining.IsEmpty)
        {
            attribute = default;
            return false;
        }
        if (_remaining.Length < NetlinkWriter.AttributeHeaderSize)
        {
            ThrowTruncated(_remaining.Length);
        }
        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        if (length < NetlinkWriter.AttributeHeaderSize || length > _remaining.Length)
        {
            ThrowBadLength(length, _remaining.Length);
        }
        attribute = new NetlinkAttribute(BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]), _remaining[NetlinkWriter.AttributeHeaderSize..length]);
        _remaining = _remaining[Math.Min(NetlinkWriter.Align(length), _remaining.Length)..];
        return true;
    }

    [DoesNotReturn]
    private static void ThrowTruncated(int remaining) =>
        throw new NetlinkProtocolException($"{remaining} trailing bytes, shorter than an attribute header");

    [DoesNotReturn]
    private static void ThrowBadLength(int length, int remaining) =>
        throw new NetlinkProtocolException($"attribute length {length} outside 4..{remaining}");
}
