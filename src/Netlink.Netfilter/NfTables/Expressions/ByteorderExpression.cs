using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>Which way a <see cref="ByteorderExpression"/> converts (NFTA_BYTEORDER_OP: enum nft_byteorder_ops).</summary>
public enum ByteorderOp : uint
{
    /// <summary>NFT_BYTEORDER_NTOH: network to host order.</summary>
    NetworkToHost = Codec.NfConstants.NFT_BYTEORDER_NTOH,

    /// <summary>NFT_BYTEORDER_HTON: host to network order.</summary>
    HostToNetwork = Codec.NfConstants.NFT_BYTEORDER_HTON,
}

/// <summary>
/// "byteorder": converts <see cref="Length"/> bytes of a register, taken as values of <see cref="Size"/> bytes (2, 4 or
/// 8), between host and network order (<c>[ byteorder reg 9 = hton(reg 9, 2, 1) ]</c>). <c>nft</c> adds one after a
/// host-order field of a concatenation matched against an interval set, such as <c>meta l4proto</c> in
/// <c>ip daddr . meta l4proto . th dport . ip saddr @ranges</c>; for a 1-byte field it changes nothing, but a ruleset
/// encoded as <c>nft</c> encodes it carries it all the same.
/// </summary>
/// <param name="SourceRegister">NFTA_BYTEORDER_SREG.</param>
/// <param name="DestinationRegister">NFTA_BYTEORDER_DREG.</param>
/// <param name="Op">NFTA_BYTEORDER_OP.</param>
/// <param name="Length">NFTA_BYTEORDER_LEN: how many bytes to convert.</param>
/// <param name="Size">NFTA_BYTEORDER_SIZE: the size of each value, 2, 4 or 8.</param>
public sealed record ByteorderExpression(uint SourceRegister, uint DestinationRegister, ByteorderOp Op, uint Length, uint Size) : Expression
{
    /// <inheritdoc />
    public override string Name => "byteorder";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_BYTEORDER_SREG, SourceRegister);
        writer.WriteUInt32BigEndian(NFTA_BYTEORDER_DREG, DestinationRegister);
        writer.WriteUInt32BigEndian(NFTA_BYTEORDER_OP, (uint)Op);
        writer.WriteUInt32BigEndian(NFTA_BYTEORDER_LEN, Length);
        writer.WriteUInt32BigEndian(NFTA_BYTEORDER_SIZE, Size);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? sreg = null, dreg = null, op = null, length = null, size = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_BYTEORDER_SREG: sreg = a.GetUInt32BigEndian(); break;
                case NFTA_BYTEORDER_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_BYTEORDER_OP: op = a.GetUInt32BigEndian(); break;
                case NFTA_BYTEORDER_LEN: length = a.GetUInt32BigEndian(); break;
                case NFTA_BYTEORDER_SIZE: size = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        return (sreg, dreg, op, length, size) is ({ } s, { } d, { } o, { } l, { } z) ? new ByteorderExpression(s, d, (ByteorderOp)o, l, z) : null;
    }
}
