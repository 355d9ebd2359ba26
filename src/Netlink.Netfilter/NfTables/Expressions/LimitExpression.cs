using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>What a limit counts (NFTA_LIMIT_TYPE: enum nft_limit_type).</summary>
public enum LimitType : uint
{
    /// <summary>NFT_LIMIT_PKTS: packets.</summary>
    Packets = Codec.NfConstants.NFT_LIMIT_PKTS,

    /// <summary>NFT_LIMIT_PKT_BYTES: bytes.</summary>
    Bytes = Codec.NfConstants.NFT_LIMIT_PKT_BYTES,
}

/// <summary>"limit": matches while the rate stays under <see cref="Rate"/> per <see cref="UnitSeconds"/> (<c>limit rate 10/second burst 5 packets</c>).</summary>
/// <param name="Rate">NFTA_LIMIT_RATE.</param>
/// <param name="UnitSeconds">NFTA_LIMIT_UNIT in seconds (1 = per second, 60 = per minute).</param>
/// <param name="Burst">NFTA_LIMIT_BURST.</param>
/// <param name="Type">NFTA_LIMIT_TYPE.</param>
/// <param name="Inverted">NFT_LIMIT_F_INV in NFTA_LIMIT_FLAGS: match when over the rate (<c>limit rate over</c>).</param>
public sealed record LimitExpression(ulong Rate, ulong UnitSeconds = 1, uint Burst = 0, LimitType Type = LimitType.Packets, bool Inverted = false) : Expression
{
    /// <inheritdoc />
    public override string Name => "limit";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt64BigEndian(NFTA_LIMIT_RATE, Rate);
        writer.WriteUInt64BigEndian(NFTA_LIMIT_UNIT, UnitSeconds);
        writer.WriteUInt32BigEndian(NFTA_LIMIT_BURST, Burst);
        writer.WriteUInt32BigEndian(NFTA_LIMIT_TYPE, (uint)Type);
        writer.WriteUInt32BigEndian(NFTA_LIMIT_FLAGS, Inverted ? NFT_LIMIT_F_INV : 0);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        ulong? rate = null, unit = null;
        uint burst = 0, type = 0, flags = 0;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_LIMIT_RATE: rate = a.GetUInt64BigEndian(); break;
                case NFTA_LIMIT_UNIT: unit = a.GetUInt64BigEndian(); break;
                case NFTA_LIMIT_BURST: burst = a.GetUInt32BigEndian(); break;
                case NFTA_LIMIT_TYPE: type = a.GetUInt32BigEndian(); break;
                case NFTA_LIMIT_FLAGS: flags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (rate is not { } r || unit is not { } u || (flags & ~NFT_LIMIT_F_INV) != 0)
        {
            return null;
        }
        return new LimitExpression(r, u, burst, (LimitType)type, (flags & NFT_LIMIT_F_INV) != 0);
    }
}
