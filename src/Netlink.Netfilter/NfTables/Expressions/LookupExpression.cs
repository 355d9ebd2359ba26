using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>
/// "lookup": matches when the key in <see cref="SourceRegister"/> is in the set (or, <see cref="Inverted"/>, is not);
/// for a map, loads the value into <see cref="DestinationRegister"/>, and for a verdict map that register is the
/// verdict register (<c>[ lookup reg 1 set service-ips dreg 0 ]</c>).
/// </summary>
/// <param name="Set">NFTA_LOOKUP_SET: the set's name.</param>
/// <param name="SourceRegister">NFTA_LOOKUP_SREG.</param>
/// <param name="DestinationRegister">NFTA_LOOKUP_DREG, for maps; null for a plain membership test.</param>
/// <param name="Inverted">NFT_LOOKUP_F_INV in NFTA_LOOKUP_FLAGS (<c>!= @set</c>).</param>
public sealed record LookupExpression(string Set, uint SourceRegister = Registers.R1, uint? DestinationRegister = null, bool Inverted = false) : Expression
{
    /// <inheritdoc />
    public override string Name => "lookup";

    /// <summary>NFTA_LOOKUP_SET_ID: the id of a set created in the same transaction; 0 to look it up by name only.</summary>
    public uint SetId { get; init; }

    /// <summary>A verdict-map lookup (<c>vmap @set</c>): the value becomes the verdict.</summary>
    public static LookupExpression VerdictMap(string set, uint sourceRegister = Registers.R1) => new(set, sourceRegister, Registers.Verdict);

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteString(NFTA_LOOKUP_SET, Set);
        if (SetId != 0)
        {
            writer.WriteUInt32BigEndian(NFTA_LOOKUP_SET_ID, SetId);
        }
        writer.WriteUInt32BigEndian(NFTA_LOOKUP_SREG, SourceRegister);
        if (DestinationRegister is { } dreg)
        {
            writer.WriteUInt32BigEndian(NFTA_LOOKUP_DREG, dreg);
        }
        if (Inverted)
        {
            writer.WriteUInt32BigEndian(NFTA_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
        }
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        string? set = null;
        uint? sreg = null, dreg = null;
        uint flags = 0, setId = 0;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_LOOKUP_SET: set = a.GetString(); break;
                case NFTA_LOOKUP_SREG: sreg = a.GetUInt32BigEndian(); break;
                case NFTA_LOOKUP_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_LOOKUP_SET_ID: setId = a.GetUInt32BigEndian(); break;
                case NFTA_LOOKUP_FLAGS: flags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (set is null || sreg is not { } s || (flags & ~NFT_LOOKUP_F_INV) != 0)
        {
            return null;
        }
        return new LookupExpression(set, s, dreg, (flags & NFT_LOOKUP_F_INV) != 0) { SetId = setId };
    }
}
