using System.Buffers.Binary;

namespace Netlink.Fuzz;

/// <summary>
/// The input of the netlink targets: the kernel's replies to one client operation, datagram after datagram, each as
/// a 16-bit little-endian length and its bytes (a last record cut short is taken as it is). Requests' sequence numbers
/// and port ids are stamped onto the replies before the client reads them, so the fuzzer's effort goes into the
/// message and attribute contents rather than into guessing numbers the client checks first.
/// </summary>
public static class ReplyScript
{
    /// <summary>The datagrams of <paramref name="input"/>.</summary>
    public static List<byte[]> Split(ReadOnlySpan<byte> input)
    {
        var datagrams = new List<byte[]>();
        while (input.Length >= 2)
        {
            int length = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(input), input.Length - 2);
            datagrams.Add(input.Slice(2, length).ToArray());
            input = input[(2 + length)..];
        }
        return datagrams;
    }

    /// <summary>The script holding <paramref name="datagrams"/>, for recorded seeds.</summary>
    public static byte[] Join(IEnumerable<byte[]> datagrams)
    {
        var script = new List<byte>();
        foreach (byte[] datagram in datagrams)
        {
            if (datagram.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"a datagram of {datagram.Length} bytes does not fit a reply script record", nameof(datagrams));
            }
            script.Add((byte)datagram.Length);
            script.Add((byte)(datagram.Length >> 8));
            script.AddRange(datagram);
        }
        return [.. script];
    }

    /// <summary>
    /// Writes <paramref name="sequence"/> and <paramref name="portId"/> into every message header of
    /// <paramref name="datagram"/> that its length fields let a reader reach; stops at the first impossible length.
    /// </summary>
    public static void Stamp(Span<byte> datagram, uint sequence, uint portId)
    {
        int offset = 0;
        while (datagram.Length - offset >= 16)
        {
            Span<byte> header = datagram[offset..];
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], portId);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (length < 16 || length > header.Length)
            {
                return;
            }
            offset += (int)((length + 3) & ~3u);
        }
    }
}
