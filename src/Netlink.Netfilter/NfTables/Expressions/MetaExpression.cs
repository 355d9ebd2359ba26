using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>Packet metadata keys (NFTA_META_KEY: enum nft_meta_keys); any other kernel key may be cast in.</summary>
public enum MetaKey : uint
{
    /// <summary>NFT_META_LEN: packet length.</summary>
    Length = Codec.NfConstants.NFT_META_LEN,

    /// <summary>NFT_META_PROTOCOL: the ethertype (skb->protocol).</summary>
    Protocol = Codec.NfConstants.NFT_META_PROTOCOL,

    /// <summary>NFT_META_MARK: the packet mark.</summary>
    Mark = Codec.NfConstants.NFT_META_MARK,

    /// <summary>NFT_META_IIF: input interface index.</summary>
    Iif = Codec.NfConstants.NFT_META_IIF,

    /// <summary>NFT_META_OIF: output interface index.</summary>
    Oif = Codec.NfConstants.NFT_META_OIF,

    /// <summary>NFT_META_IIFNAME: input interface name (16 bytes).</summary>
    IifName = Codec.NfConstants.NFT_META_IIFNAME,

    /// <summary>NFT_META_OIFNAME: output interface name (16 bytes).</summary>
    OifName = Codec.NfConstants.NFT_META_OIFNAME,

    /// <summary>NFT_META_NFPROTO: the netfilter family (NFPROTO_IPV4 or NFPROTO_IPV6 in an inet table).</summary>
    NfProto = Codec.NfConstants.NFT_META_NFPROTO,

    /// <summary>NFT_META_L4PROTO: the transport protocol (IPPROTO_*).</summary>
    L4Proto = Codec.NfConstants.NFT_META_L4PROTO,
}

/// <summary>"meta" loading a key into a register (<c>[ meta load l4proto => reg 1 ]</c>).</summary>
/// <param name="Key">NFTA_META_KEY.</param>
/// <param name="DestinationRegister">NFTA_META_DREG.</param>
public sealed record MetaExpression(MetaKey Key, uint DestinationRegister = Registers.R1) : Expression
{
    /// <inheritdoc />
    public override string Name => "meta";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_META_DREG, DestinationRegister);
        writer.WriteUInt32BigEndian(NFTA_META_KEY, (uint)Key);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? key = null, dreg = null, sreg = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_META_KEY: key = a.GetUInt32BigEndian(); break;
                case NFTA_META_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_META_SREG: sreg = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        return (key, dreg, sreg) switch
        {
            ({ } k, { } d, null) => new MetaExpression((MetaKey)k, d),
            ({ } k, null, { } s) => new MetaSetExpression((MetaKey)k, s),
            _ => null,
        };
    }
}

/// <summary>"meta" setting a key from a register (<c>[ meta set mark with reg 1 ]</c>; <c>meta mark set 0x4000</c>).</summary>
/// <param name="Key">NFTA_META_KEY.</param>
/// <param name="SourceRegister">NFTA_META_SREG.</param>
public sealed record MetaSetExpression(MetaKey Key, uint SourceRegister = Registers.R1) : Expression
{
    /// <inheritdoc />
    public override string Name => "meta";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_META_KEY, (uint)Key);
        writer.WriteUInt32BigEndian(NFTA_META_SREG, SourceRegister);
    }
}
