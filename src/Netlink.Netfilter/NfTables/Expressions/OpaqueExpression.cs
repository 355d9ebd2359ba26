namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>
/// An expression kept as its raw NFTA_EXPR_DATA bytes: one this library does not model (such as iptables-nft's
/// "match" and "target"), or a known one with attributes it does not model. Written back exactly as read.
/// </summary>
/// <param name="ExpressionName">NFTA_EXPR_NAME.</param>
/// <param name="Data">The payload of NFTA_EXPR_DATA (its attributes), unparsed.</param>
public sealed record OpaqueExpression(string ExpressionName, ReadOnlyMemory<byte> Data) : Expression
{
    /// <inheritdoc />
    public override string Name => ExpressionName;

    internal override void WriteData(NetlinkWriter writer) => throw new InvalidOperationException("an opaque expression writes its data whole");

    internal override void WriteDataAttribute(NetlinkWriter writer) =>
        writer.WriteBytes((ushort)(Codec.NfConstants.NFTA_EXPR_DATA | NetlinkWriter.NestedFlag), Data.Span);

    /// <inheritdoc />
    public bool Equals(OpaqueExpression? other) => other is not null && ExpressionName == other.ExpressionName && Data.Span.SequenceEqual(other.Data.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ExpressionName, Data.Length);
}
