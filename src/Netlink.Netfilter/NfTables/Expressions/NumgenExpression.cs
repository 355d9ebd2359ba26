using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>How numgen makes numbers (NFTA_NG_TYPE: enum nft_ng_types).</summary>
public enum NumgenType : uint
{
    /// <summary>NFT_NG_INCREMENTAL: 0, 1, ..., modulus-1, 0, ... (<c>numgen inc</c>).</summary>
    Incremental = Codec.NfConstants.NFT_NG_INCREMENTAL,

    /// <summary>NFT_NG_RANDOM (<c>numgen random</c>).</summary>
    Random = Codec.NfConstants.NFT_NG_RANDOM,
}

/// <summary>
/// "numgen": a number from 0 to <see cref="Modulus"/> - 1, plus <see cref="Offset"/>, into a register (4 bytes, host
/// order); with a verdict map it spreads connections over endpoints (<c>[ numgen reg 1 = random mod 2 ]</c>).
/// </summary>
/// <param name="Type">NFTA_NG_TYPE.</param>
/// <param name="Modulus">NFTA_NG_MODULUS.</param>
/// <param name="DestinationRegister">NFTA_NG_DREG.</param>
/// <param name="Offset">NFTA_NG_OFFSET.</param>
public sealed record NumgenExpression(NumgenType Type, uint Modulus, uint DestinationRegister = Registers.R1, uint Offset = 0) : Expression
{
    /// <inheritdoc />
    public override string Name => "numgen";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_NG_DREG, DestinationRegister);
        writer.WriteUInt32BigEndian(NFTA_NG_MODULUS, Modulus);
        writer.WriteUInt32BigEndian(NFTA_NG_TYPE, (uint)Type);
        writer.WriteUInt32BigEndian(NFTA_NG_OFFSET, Offset);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? dreg = null, modulus = null, type = null;
        uint offset = 0;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_NG_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_NG_MODULUS: modulus = a.GetUInt32BigEndian(); break;
                case NFTA_NG_TYPE: type = a.GetUInt32BigEndian(); break;
                case NFTA_NG_OFFSET: offset = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        return dreg is { } d && modulus is { } m && type is { } t ? new NumgenExpression((NumgenType)t, m, d, offset) : null;
    }
}
