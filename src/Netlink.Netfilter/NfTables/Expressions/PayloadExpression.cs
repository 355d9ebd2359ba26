using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>Where a payload offset counts from (NFTA_PAYLOAD_BASE: enum nft_payload_bases).</summary>
public enum PayloadBase : uint
{
    /// <summary>NFT_PAYLOAD_LL_HEADER: the link layer header.</summary>
    LinkLayer = Codec.NfConstants.NFT_PAYLOAD_LL_HEADER,

    /// <summary>NFT_PAYLOAD_NETWORK_HEADER: the IP header.</summary>
    Network = Codec.NfConstants.NFT_PAYLOAD_NETWORK_HEADER,

    /// <summary>NFT_PAYLOAD_TRANSPORT_HEADER: the TCP/UDP/... header.</summary>
    Transport = Codec.NfConstants.NFT_PAYLOAD_TRANSPORT_HEADER,
}

/// <summary>
/// "payload" loading packet bytes into a register (<c>[ payload load 4b @ network header + 16 => reg 1 ]</c>). The
/// common fields have factories: <see cref="Ipv4Source"/>, <see cref="Ipv4Destination"/>, <see cref="Ipv6Destination"/>,
/// <see cref="TransportDestinationPort"/> and so on.
/// </summary>
/// <param name="Base">NFTA_PAYLOAD_BASE.</param>
/// <param name="Offset">NFTA_PAYLOAD_OFFSET in bytes.</param>
/// <param name="Length">NFTA_PAYLOAD_LEN in bytes.</param>
/// <param name="DestinationRegister">NFTA_PAYLOAD_DREG.</param>
public sealed record PayloadExpression(PayloadBase Base, uint Offset, uint Length, uint DestinationRegister = Registers.R1) : Expression
{
    /// <inheritdoc />
    public override string Name => "payload";

    /// <summary><c>ip saddr</c>.</summary>
    public static PayloadExpression Ipv4Source(uint register = Registers.R1) => new(PayloadBase.Network, 12, 4, register);

    /// <summary><c>ip daddr</c>.</summary>
    public static PayloadExpression Ipv4Destination(uint register = Registers.R1) => new(PayloadBase.Network, 16, 4, register);

    /// <summary><c>ip6 saddr</c>.</summary>
    public static PayloadExpression Ipv6Source(uint register = Registers.R1) => new(PayloadBase.Network, 8, 16, register);

    /// <summary><c>ip6 daddr</c>.</summary>
    public static PayloadExpression Ipv6Destination(uint register = Registers.R1) => new(PayloadBase.Network, 24, 16, register);

    /// <summary><c>th sport</c> (also <c>tcp sport</c>, <c>udp sport</c> after an l4proto match).</summary>
    public static PayloadExpression TransportSourcePort(uint register = Registers.R1) => new(PayloadBase.Transport, 0, 2, register);

    /// <summary><c>th dport</c> (also <c>tcp dport</c>, <c>udp dport</c> after an l4proto match).</summary>
    public static PayloadExpression TransportDestinationPort(uint register = Registers.R1) => new(PayloadBase.Transport, 2, 2, register);

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_PAYLOAD_DREG, DestinationRegister);
        writer.WriteUInt32BigEndian(NFTA_PAYLOAD_BASE, (uint)Base);
        writer.WriteUInt32BigEndian(NFTA_PAYLOAD_OFFSET, Offset);
        writer.WriteUInt32BigEndian(NFTA_PAYLOAD_LEN, Length);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? dreg = null, pbase = null, offset = null, length = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_PAYLOAD_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_PAYLOAD_BASE: pbase = a.GetUInt32BigEndian(); break;
                case NFTA_PAYLOAD_OFFSET: offset = a.GetUInt32BigEndian(); break;
                case NFTA_PAYLOAD_LEN: length = a.GetUInt32BigEndian(); break;
                default: return null; // payload writes (SREG, checksums) stay opaque
            }
        }
        return dreg is { } d && pbase is { } b && offset is { } o && length is { } l ? new PayloadExpression((PayloadBase)b, o, l, d) : null;
    }
}
