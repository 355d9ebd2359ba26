using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>NAT range flags (NF_NAT_RANGE_* of linux/netfilter/nf_nat.h), for nat, masq and redir.</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's word
public enum NatFlags : uint
#pragma warning restore CA1711
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>NF_NAT_RANGE_MAP_IPS: addresses are given.</summary>
    MapIps = Codec.NfConstants.NF_NAT_RANGE_MAP_IPS,

    /// <summary>NF_NAT_RANGE_PROTO_SPECIFIED: ports are given.</summary>
    ProtoSpecified = Codec.NfConstants.NF_NAT_RANGE_PROTO_SPECIFIED,

    /// <summary>NF_NAT_RANGE_PROTO_RANDOM: <c>random</c>.</summary>
    ProtoRandom = Codec.NfConstants.NF_NAT_RANGE_PROTO_RANDOM,

    /// <summary>NF_NAT_RANGE_PERSISTENT: <c>persistent</c>.</summary>
    Persistent = Codec.NfConstants.NF_NAT_RANGE_PERSISTENT,

    /// <summary>NF_NAT_RANGE_PROTO_RANDOM_FULLY: <c>fully-random</c>.</summary>
    ProtoRandomFully = Codec.NfConstants.NF_NAT_RANGE_PROTO_RANDOM_FULLY,
}

/// <summary>Which NAT (NFTA_NAT_TYPE: enum nft_nat_types).</summary>
public enum NatType : uint
{
    /// <summary>NFT_NAT_SNAT.</summary>
    Snat = Codec.NfConstants.NFT_NAT_SNAT,

    /// <summary>NFT_NAT_DNAT.</summary>
    Dnat = Codec.NfConstants.NFT_NAT_DNAT,
}

/// <summary>
/// "nat": source or destination NAT to addresses and ports held in registers, loaded by <see cref="ImmediateExpression"/>s
/// before it (<c>[ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]</c>).
/// </summary>
/// <param name="Type">NFTA_NAT_TYPE.</param>
/// <param name="Family">NFTA_NAT_FAMILY: <see cref="TableFamily.IPv4"/> or <see cref="TableFamily.IPv6"/>.</param>
public sealed record NatExpression(NatType Type, TableFamily Family) : Expression
{
    /// <inheritdoc />
    public override string Name => "nat";

    /// <summary>NFTA_NAT_REG_ADDR_MIN: register with the (first) address.</summary>
    public uint? AddressMinRegister { get; init; }

    /// <summary>NFTA_NAT_REG_ADDR_MAX: register with the last address of a range.</summary>
    public uint? AddressMaxRegister { get; init; }

    /// <summary>NFTA_NAT_REG_PROTO_MIN: register with the (first) port, 2 bytes network order.</summary>
    public uint? ProtoMinRegister { get; init; }

    /// <summary>NFTA_NAT_REG_PROTO_MAX: register with the last port of a range.</summary>
    public uint? ProtoMaxRegister { get; init; }

    /// <summary>NFTA_NAT_FLAGS. <c>nft</c> sets <see cref="NatFlags.ProtoSpecified"/> when a port is given.</summary>
    public NatFlags Flags { get; init; }

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_NAT_TYPE, (uint)Type);
        writer.WriteUInt32BigEndian(NFTA_NAT_FAMILY, (uint)Family);
        if (AddressMinRegister is { } amin)
        {
            writer.WriteUInt32BigEndian(NFTA_NAT_REG_ADDR_MIN, amin);
        }
        if (AddressMaxRegister is { } amax)
        {
            writer.WriteUInt32BigEndian(NFTA_NAT_REG_ADDR_MAX, amax);
        }
        if (ProtoMinRegister is { } pmin)
        {
            writer.WriteUInt32BigEndian(NFTA_NAT_REG_PROTO_MIN, pmin);
        }
        if (ProtoMaxRegister is { } pmax)
        {
            writer.WriteUInt32BigEndian(NFTA_NAT_REG_PROTO_MAX, pmax);
        }
        if (Flags != NatFlags.None)
        {
            writer.WriteUInt32BigEndian(NFTA_NAT_FLAGS, (uint)Flags);
        }
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? type = null, family = null, amin = null, amax = null, pmin = null, pmax = null;
        uint flags = 0;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_NAT_TYPE: type = a.GetUInt32BigEndian(); break;
                case NFTA_NAT_FAMILY: family = a.GetUInt32BigEndian(); break;
                case NFTA_NAT_REG_ADDR_MIN: amin = a.GetUInt32BigEndian(); break;
                case NFTA_NAT_REG_ADDR_MAX: amax = a.GetUInt32BigEndian(); break;
                case NFTA_NAT_REG_PROTO_MIN: pmin = a.GetUInt32BigEndian(); break;
                case NFTA_NAT_REG_PROTO_MAX: pmax = a.GetUInt32BigEndian(); break;
                case NFTA_NAT_FLAGS: flags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (type is not { } t || family is not { } f || f > byte.MaxValue)
        {
            return null;
        }
        return new NatExpression((NatType)t, (TableFamily)f)
        {
            AddressMinRegister = amin,
            AddressMaxRegister = amax,
            ProtoMinRegister = pmin,
            ProtoMaxRegister = pmax,
            Flags = (NatFlags)flags,
        };
    }
}
