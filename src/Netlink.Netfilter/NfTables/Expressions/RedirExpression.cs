using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>"redir": destination NAT to the local host, optionally to another port (<c>redirect to :8080</c>).</summary>
/// <param name="Flags">NFTA_REDIR_FLAGS.</param>
public sealed record RedirExpression(NatFlags Flags = NatFlags.None) : Expression
{
    /// <inheritdoc />
    public override string Name => "redir";

    /// <summary>NFTA_REDIR_REG_PROTO_MIN: register with the port, 2 bytes network order.</summary>
    public uint? ProtoMinRegister { get; init; }

    /// <summary>NFTA_REDIR_REG_PROTO_MAX.</summary>
    public uint? ProtoMaxRegister { get; init; }

    internal override void WriteData(NetlinkWriter writer)
    {
        if (ProtoMinRegister is { } pmin)
        {
            writer.WriteUInt32BigEndian(NFTA_REDIR_REG_PROTO_MIN, pmin);
        }
        if (ProtoMaxRegister is { } pmax)
        {
            writer.WriteUInt32BigEndian(NFTA_REDIR_REG_PROTO_MAX, pmax);
        }
        if (Flags != NatFlags.None)
        {
            writer.WriteUInt32BigEndian(NFTA_REDIR_FLAGS, (uint)Flags);
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
                case NFTA_REDIR_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_REDIR_REG_PROTO_MIN: pmin = a.GetUInt32BigEndian(); break;
                case NFTA_REDIR_REG_PROTO_MAX: pmax = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        return new RedirExpression((NatFlags)flags) { ProtoMinRegister = pmin, ProtoMaxRegister = pmax };
    }
}
