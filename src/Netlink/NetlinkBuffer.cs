using System.Buffers;

namespace Netlink;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}"/>, reused across messages so that encoding and
/// receiving allocate nothing in steady state. Not thread-safe. Dispose returns the array to the pool.
/// </summary>
public sealed class NetlinkBuffer : IDisposable
{
    private byte[] _array;

    /// <summary>Creates a buffer with at least <paramref name="initialCapacity"/> bytes.</summary>
    public NetlinkBuffer(int initialCapacity = 4096)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 64));
    }

    /// <summary>Bytes written (or received) so far.</summary>
    public int Length { get; private set; }

    /// <summary>Bytes the buffer holds without growing.</summary>
    public int Capacity => _array.Length;

    /// <summary>The written bytes.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// <summary>The written bytes as memory.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, Length);

    /// <summary>Forgets the contents, keeping the capacity.</summary>
    public void Clear() => Length = 0;

    /// <summary>Returns a writable span of <paramref name="count"/> bytes at the end and advances past it.</summary>
    internal Span<byte> Append(int count)
    {
        EnsureCapacity(Length + count);
        Span<byte> span = _array.AsSpan(Length, count);
        Length += count;
        return span;
    }

    /// <summary>A writable view of bytes already written, for back-patching lengths.</summary>
    internal Span<byte> Slice(int offset, int count) => _array.AsSpan(offset, count);

    /// <summary>
    /// Cuts the contents back to <paramref name="length"/> bytes: how a batch drops a request whose encoding failed
    /// halfway (a name too long for the kernel's field), so that what it sends holds only whole messages.
    /// </summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        Length = length;
    }

    /// <summary>
    /// Replaces the contents with <paramref name="datagram"/>, growing as needed: how an <see cref="INetlinkTransport"/>
    /// written outside this library (a test's stand-in for the kernel) hands over what it "received".
    /// </summary>
    public void SetReceived(ReadOnlySpan<byte> datagram)
    {
        datagram.CopyTo(GetReceiveSpan(datagram.Length));
        Length = datagram.Length;
    }

    /// <summary>Makes the whole array available for a receive and returns it; <see cref="SetLength"/> records what arrived.</summary>
    internal Span<byte> GetReceiveSpan(int minimum)
    {
        EnsureCapacity(minimum);
        Length = 0;
        return _array;
    }

    internal void SetLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _array.Length);
        Length = length;
    }

    /// <summary>Grows the array, keeping the contents, to hold at least <paramref name="capacity"/> bytes.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity <= _array.Length)
        {
            return;
        }
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, _array.Length * 2));
        _array.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        byte[] array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
