using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>"counter": counts packets and bytes (<c>[ counter pkts 0 bytes 0 ]</c>).</summary>
/// <param name="Packets">NFTA_COUNTER_PACKETS: the starting (or, read back, current) packet count.</param>
/// <param name="Bytes">NFTA_COUNTER_BYTES.</param>
public sealed record CounterExpression(ulong Packets = 0, ulong Bytes = 0) : Expression
{
    /// <inheritdoc />
    public override string Name => "counter";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt64BigEndian(NFTA_COUNTER_BYTES, Bytes);
        writer.WriteUInt64BigEndian(NFTA_COUNTER_PACKETS, Packets);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        ulong packets = 0, bytes = 0;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_COUNTER_PACKETS: packets = a.GetUInt64BigEndian(); break;
                case NFTA_COUNTER_BYTES: bytes = a.GetUInt64BigEndian(); break;
                default: break; // NFTA_COUNTER_PAD
            }
        }
        return new CounterExpression(packets, bytes);
    }
}
