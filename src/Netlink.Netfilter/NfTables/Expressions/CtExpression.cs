using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>Conntrack keys (NFTA_CT_KEY: enum nft_ct_keys); any other kernel key may be cast in.</summary>
public enum CtKey : uint
{
    /// <summary>NFT_CT_STATE: a bitmask of <see cref="CtState"/>, 4 bytes host order.</summary>
    State = Codec.NfConstants.NFT_CT_STATE,

    /// <summary>NFT_CT_DIRECTION.</summary>
    Direction = Codec.NfConstants.NFT_CT_DIRECTION,

    /// <summary>NFT_CT_STATUS: IPS_* bits (such as IPS_DST_NAT).</summary>
    Status = Codec.NfConstants.NFT_CT_STATUS,

    /// <summary>NFT_CT_MARK: the connection mark.</summary>
    Mark = Codec.NfConstants.NFT_CT_MARK,

    /// <summary>NFT_CT_SRC: source address of a direction (needs <see cref="CtExpression.Direction"/>; legacy form).</summary>
    Source = Codec.NfConstants.NFT_CT_SRC,

    /// <summary>NFT_CT_DST: destination address of a direction (legacy form).</summary>
    Destination = Codec.NfConstants.NFT_CT_DST,

    /// <summary>NFT_CT_PROTO_SRC: source port of a direction.</summary>
    ProtoSource = Codec.NfConstants.NFT_CT_PROTO_SRC,

    /// <summary>NFT_CT_PROTO_DST: destination port of a direction (<c>ct original proto-dst</c>).</summary>
    ProtoDestination = Codec.NfConstants.NFT_CT_PROTO_DST,

    /// <summary>NFT_CT_SRC_IP: IPv4 source address of a direction.</summary>
    SourceIp = Codec.NfConstants.NFT_CT_SRC_IP,

    /// <summary>NFT_CT_DST_IP: IPv4 destination address of a direction (<c>ct original ip daddr</c>).</summary>
    DestinationIp = Codec.NfConstants.NFT_CT_DST_IP,

    /// <summary>NFT_CT_SRC_IP6.</summary>
    SourceIp6 = Codec.NfConstants.NFT_CT_SRC_IP6,

    /// <summary>NFT_CT_DST_IP6.</summary>
    DestinationIp6 = Codec.NfConstants.NFT_CT_DST_IP6,
}

/// <summary>Connection tracking states as <c>ct state</c> compares them (NF_CT_STATE_BIT values).</summary>
[Flags]
public enum CtState : uint
{
    /// <summary>No state.</summary>
    None = 0,

    /// <summary>NF_CT_STATE_INVALID_BIT.</summary>
    Invalid = 1,

    /// <summary>IP_CT_ESTABLISHED.</summary>
    Established = 2,

    /// <summary>IP_CT_RELATED.</summary>
    Related = 4,

    /// <summary>IP_CT_NEW.</summary>
    New = 8,

    /// <summary>NF_CT_STATE_UNTRACKED_BIT.</summary>
    Untracked = 64,
}

/// <summary>A conntrack direction (NFTA_CT_DIRECTION: IP_CT_DIR_ORIGINAL, IP_CT_DIR_REPLY).</summary>
public enum CtDirection : byte
{
    /// <summary>IP_CT_DIR_ORIGINAL.</summary>
    Original = 0,

    /// <summary>IP_CT_DIR_REPLY.</summary>
    Reply = 1,
}

/// <summary>"ct" loading a conntrack key into a register (<c>[ ct load state => reg 1 ]</c>, <c>ct original ip daddr</c>).</summary>
/// <param name="Key">NFTA_CT_KEY.</param>
/// <param name="DestinationRegister">NFTA_CT_DREG.</param>
/// <param name="Direction">NFTA_CT_DIRECTION, for per-direction keys such as addresses and ports.</param>
public sealed record CtExpression(CtKey Key, uint DestinationRegister = Registers.R1, CtDirection? Direction = null) : Expression
{
    /// <inheritdoc />
    public override string Name => "ct";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_CT_DREG, DestinationRegister);
        writer.WriteUInt32BigEndian(NFTA_CT_KEY, (uint)Key);
        if (Direction is { } direction)
        {
            writer.WriteByte(NFTA_CT_DIRECTION, (byte)direction);
        }
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? key = null, dreg = null, sreg = null;
        CtDirection? direction = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_CT_KEY: key = a.GetUInt32BigEndian(); break;
                case NFTA_CT_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_CT_SREG: sreg = a.GetUInt32BigEndian(); break;
                case NFTA_CT_DIRECTION: direction = (CtDirection)a.GetByte(); break;
                default: return null;
            }
        }
        return (key, dreg, sreg) switch
        {
            ({ } k, { } d, null) => new CtExpression((CtKey)k, d, direction),
            ({ } k, null, { } s) when direction is null => new CtSetExpression((CtKey)k, s),
            _ => null,
        };
    }
}

/// <summary>"ct" setting a conntrack key from a register (<c>[ ct set mark with reg 1 ]</c>; <c>ct mark set meta mark</c>).</summary>
/// <param name="Key">NFTA_CT_KEY.</param>
/// <param name="SourceRegister">NFTA_CT_SREG.</param>
public sealed record CtSetExpression(CtKey Key, uint SourceRegister = Registers.R1) : Expression
{
    /// <inheritdoc />
    public override string Name => "ct";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_CT_KEY, (uint)Key);
        writer.WriteUInt32BigEndian(NFTA_CT_SREG, SourceRegister);
    }
}
