using static Netlink.Netfilter.NfTables.Codec.NfConstants;

namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>
/// "immediate": puts a constant in a register, or a verdict in the verdict register
/// (<c>[ immediate reg 1 0x010013c6 ]</c>, <c>[ immediate reg 0 jump -> services ]</c>). Exactly one of
/// <see cref="Value"/> and <see cref="Verdict"/> is set; use <see cref="Of(Verdict)"/> or <see cref="Of(uint, ReadOnlyMemory{byte})"/>.
/// </summary>
public sealed record ImmediateExpression : Expression
{
    private ImmediateExpression(uint register, ReadOnlyMemory<byte>? value, Verdict? verdict)
    {
        DestinationRegister = register;
        Value = value;
        Verdict = verdict;
    }

    /// <summary>NFTA_IMMEDIATE_DREG.</summary>
    public uint DestinationRegister { get; }

    /// <summary>The constant (NFTA_IMMEDIATE_DATA holding NFTA_DATA_VALUE), or null for a verdict.</summary>
    public ReadOnlyMemory<byte>? Value { get; }

    /// <summary>The verdict (NFTA_IMMEDIATE_DATA holding NFTA_DATA_VERDICT), or null for a constant.</summary>
    public Verdict? Verdict { get; }

    /// <inheritdoc />
    public override string Name => "immediate";

    /// <summary>The verdict <paramref name="verdict"/> (<c>accept</c>, <c>jump chain</c>, ...).</summary>
    public static ImmediateExpression Of(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new(Registers.Verdict, null, verdict);
    }

    /// <summary>The constant <paramref name="value"/> into <paramref name="register"/>.</summary>
    public static ImmediateExpression Of(uint register, ReadOnlyMemory<byte> value) => new(register, value, null);

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_IMMEDIATE_DREG, DestinationRegister);
        if (Verdict is not null)
        {
            Codec.NfData.WriteVerdict(writer, NFTA_IMMEDIATE_DATA, Verdict);
        }
        else
        {
            Codec.NfData.WriteValue(writer, NFTA_IMMEDIATE_DATA, Value!.Value.Span);
        }
    }

    internal static Expression? Decode(ReadOnlySpan<byte> data)
    {
        uint? dreg = null;
        byte[]? value = null;
        Verdict? verdict = null;
        foreach (NetlinkAttribute a in new NetlinkAttributeReader(data))
        {
            switch (a.Type)
            {
                case NFTA_IMMEDIATE_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_IMMEDIATE_DATA: Codec.NfData.Read(a, out value, out verdict); break;
                default: return null;
            }
        }
        if (dreg is not { } d)
        {
            return null;
        }
        return verdict is not null ? new ImmediateExpression(d, null, verdict) : value is not null ? new ImmediateExpression(d, value, null) : null;
    }

    /// <inheritdoc />
    public bool Equals(ImmediateExpression? other) => other is not null && DestinationRegister == other.DestinationRegister && Equals(Verdict, other.Verdict)
        && Value.HasValue == other.Value.HasValue && (!Value.HasValue || Value.Value.Span.SequenceEqual(other.Value!.Value.Span));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DestinationRegister, Verdict);
}
