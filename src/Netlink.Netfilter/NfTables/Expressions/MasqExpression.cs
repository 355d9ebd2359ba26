using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>"masq": source NAT to the outgoing interface's address (<c>[ masq ]</c>; <c>masquerade</c>).</summary>
/// <param name="Flags">NFTA_MASQ_FLAGS (random, fully-random, persistent).</param>
public sealed record MasqExpression(NatFlags Flags = NatFlags.None) : Expression
{
    /// <inheritdoc />
    public override string Name => "masq";

    /// <summary>NFTA_MASQ_REG_PROTO_MIN: register with the first port (<c>masquerade to :1024-2048</c>).</summary>
    public uint? ProtoMinRegister { get; init; }

    /// <summary>NFTA_MASQ_REG_PROTO_MAX.</summary>
    public uint? ProtoMaxRegister { get; init; }

    internal override void WriteData(NetlinkWriter writer)
    {
        if (Flags != NatFlags.None)
        {
            writer.WriteUInt32BigEndian(NFTA_MASQ_FLAGS, (uint)Flags);
        }
        if (ProtoMinRegister is { } pmin)
        {
            writer.WriteUInt32BigEndian(NFTA_MASQ_REG_PROTO_MIN, pmin);
        }
        if (ProtoMaxRegister is { } pmax)
        {
            writer.WriteUInt32BigEndian(NFTA_MASQ_REG_PROTO_MAX, pmax);
        }
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint flags = 0;
        uint? pmin = null, pmax = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_MASQ_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_MASQ_REG_PROTO_MIN: pmin = a.GetUInt32BigEndian(); break;
                case NFTA_MASQ_REG_PROTO_MAX: pmax = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        return new MasqExpression((NatFlags)flags) { ProtoMinRegister = pmin, ProtoMaxRegister = pmax };
    }
}
