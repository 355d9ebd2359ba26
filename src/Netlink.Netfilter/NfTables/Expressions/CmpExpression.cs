using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>Comparison operators (NFTA_CMP_OP: enum nft_cmp_ops).</summary>
public enum CmpOp : uint
{
    /// <summary>NFT_CMP_EQ.</summary>
    Equal = Codec.NfConstants.NFT_CMP_EQ,

    /// <summary>NFT_CMP_NEQ.</summary>
    NotEqual = Codec.NfConstants.NFT_CMP_NEQ,

    /// <summary>NFT_CMP_LT.</summary>
    LessThan = Codec.NfConstants.NFT_CMP_LT,

    /// <summary>NFT_CMP_LTE.</summary>
    LessOrEqual = Codec.NfConstants.NFT_CMP_LTE,

    /// <summary>NFT_CMP_GT.</summary>
    GreaterThan = Codec.NfConstants.NFT_CMP_GT,

    /// <summary>NFT_CMP_GTE.</summary>
    GreaterOrEqual = Codec.NfConstants.NFT_CMP_GTE,
}

/// <summary>"cmp": compares a register with a constant; the rule stops here unless it holds (<c>[ cmp eq reg 1 0x00000006 ]</c>).</summary>
/// <param name="Op">NFTA_CMP_OP.</param>
/// <param name="SourceRegister">NFTA_CMP_SREG.</param>
/// <param name="Data">NFTA_CMP_DATA: the constant, in the register's byte layout (see <see cref="SetKey"/>).</param>
public sealed record CmpExpression(CmpOp Op, uint SourceRegister, ReadOnlyMemory<byte> Data) : Expression
{
    /// <inheritdoc />
    public override string Name => "cmp";

    /// <summary><c>== data</c> on register 1.</summary>
    public static CmpExpression Equal(ReadOnlyMemory<byte> data) => new(CmpOp.Equal, Registers.R1, data);

    /// <summary><c>!= data</c> on register 1.</summary>
    public static CmpExpression NotEqual(ReadOnlyMemory<byte> data) => new(CmpOp.NotEqual, Registers.R1, data);

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_CMP_SREG, SourceRegister);
        writer.WriteUInt32BigEndian(NFTA_CMP_OP, (uint)Op);
        Codec.NfData.WriteValue(writer, NFTA_CMP_DATA, Data.Span);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? sreg = null, op = null;
        byte[]? value = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_CMP_SREG: sreg = a.GetUInt32BigEndian(); break;
                case NFTA_CMP_OP: op = a.GetUInt32BigEndian(); break;
                case NFTA_CMP_DATA: value = Codec.NfData.ReadValue(a); break;
                default: return null;
            }
        }
        return sreg is { } s && op is { } o && value is not null ? new CmpExpression((CmpOp)o, s, value) : null;
    }

    /// <inheritdoc />
    public bool Equals(CmpExpression? other) => other is not null && Op == other.Op && SourceRegister == other.SourceRegister && Data.Span.SequenceEqual(other.Data.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Op, SourceRegister, Data.Length);
}
