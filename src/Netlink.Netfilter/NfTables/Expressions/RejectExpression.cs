using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>How to reject (NFTA_REJECT_TYPE: enum nft_reject_types).</summary>
public enum RejectType : uint
{
    /// <summary>NFT_REJECT_ICMP_UNREACH: an ICMP (or ICMPv6) unreachable with <see cref="RejectExpression.IcmpCode"/>.</summary>
    IcmpUnreachable = Codec.NfConstants.NFT_REJECT_ICMP_UNREACH,

    /// <summary>NFT_REJECT_TCP_RST: a TCP reset (<c>reject with tcp reset</c>).</summary>
    TcpReset = Codec.NfConstants.NFT_REJECT_TCP_RST,

    /// <summary>NFT_REJECT_ICMPX_UNREACH: a family-neutral code, for inet tables (<c>reject with icmpx ...</c>).</summary>
    IcmpxUnreachable = Codec.NfConstants.NFT_REJECT_ICMPX_UNREACH,
}

/// <summary>"reject": drops the packet and tells the sender (<c>[ reject type 0 code 3 ]</c>).</summary>
/// <param name="Type">NFTA_REJECT_TYPE.</param>
/// <param name="IcmpCode">NFTA_REJECT_ICMP_CODE (for ICMP: 3 = port unreachable; for ICMPX: 1 = port unreachable).</param>
public sealed record RejectExpression(RejectType Type = RejectType.IcmpUnreachable, byte IcmpCode = 3) : Expression
{
    /// <inheritdoc />
    public override string Name => "reject";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_REJECT_TYPE, (uint)Type);
        writer.WriteByte(NFTA_REJECT_ICMP_CODE, IcmpCode);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? type = null;
        byte code = 0;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_REJECT_TYPE: type = a.GetUInt32BigEndian(); break;
                case NFTA_REJECT_ICMP_CODE: code = a.GetByte(); break;
                default: return null;
            }
        }
        return type is { } t ? new RejectExpression((RejectType)t, code) : null;
    }
}
