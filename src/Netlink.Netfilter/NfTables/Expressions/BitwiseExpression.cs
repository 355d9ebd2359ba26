using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>
/// "bitwise" mask-and-xor (NFT_BITWISE_BOOL): <c>dreg = (sreg &amp; mask) ^ xor</c>
/// (<c>[ bitwise reg 1 = ( reg 1 &amp; 0x00000006 ) ^ 0x00000000 ]</c>). Shifts stay <see cref="OpaqueExpression"/>.
/// </summary>
/// <param name="SourceRegister">NFTA_BITWISE_SREG.</param>
/// <param name="DestinationRegister">NFTA_BITWISE_DREG.</param>
/// <param name="Mask">NFTA_BITWISE_MASK.</param>
/// <param name="Xor">NFTA_BITWISE_XOR, as long as the mask.</param>
public sealed record BitwiseExpression(uint SourceRegister, uint DestinationRegister, ReadOnlyMemory<byte> Mask, ReadOnlyMemory<byte> Xor) : Expression
{
    /// <inheritdoc />
    public override string Name => "bitwise";

    /// <summary><c>reg &amp;= mask</c> on register 1 (xor zero).</summary>
    public static BitwiseExpression And(ReadOnlyMemory<byte> mask) => new(Registers.R1, Registers.R1, mask, new byte[mask.Length]);

    internal override void WriteData(NetlinkWriter writer)
    {
        if (Mask.Length != Xor.Length)
        {
            throw new InvalidOperationException($"bitwise mask ({Mask.Length} bytes) and xor ({Xor.Length} bytes) differ in length");
        }
        writer.WriteUInt32BigEndian(NFTA_BITWISE_SREG, SourceRegister);
        writer.WriteUInt32BigEndian(NFTA_BITWISE_DREG, DestinationRegister);
        writer.WriteUInt32BigEndian(NFTA_BITWISE_LEN, (uint)Mask.Length);
        Codec.NfData.WriteValue(writer, NFTA_BITWISE_MASK, Mask.Span);
        Codec.NfData.WriteValue(writer, NFTA_BITWISE_XOR, Xor.Span);
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? sreg = null, dreg = null, length = null;
        byte[]? mask = null, xor = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_BITWISE_SREG: sreg = a.GetUInt32BigEndian(); break;
                case NFTA_BITWISE_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_BITWISE_LEN: length = a.GetUInt32BigEndian(); break;
                case NFTA_BITWISE_MASK: mask = Codec.NfData.ReadValue(a); break;
                case NFTA_BITWISE_XOR: xor = Codec.NfData.ReadValue(a); break;
                case NFTA_BITWISE_OP:
                    if (a.GetUInt32BigEndian() != NFT_BITWISE_BOOL)
                    {
                        return null;
                    }
                    break;
                default: return null;
            }
        }
        return sreg is { } s && dreg is { } d && mask is not null && xor is not null && mask.Length == xor.Length && length == (uint)mask.Length
            ? new BitwiseExpression(s, d, mask, xor)
            : null;
    }

    /// <inheritdoc />
    public bool Equals(BitwiseExpression? other) => other is not null && SourceRegister == other.SourceRegister && DestinationRegister == other.DestinationRegister
        && Mask.Span.SequenceEqual(other.Mask.Span) && Xor.Span.SequenceEqual(other.Xor.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SourceRegister, DestinationRegister, Mask.Length);
}
