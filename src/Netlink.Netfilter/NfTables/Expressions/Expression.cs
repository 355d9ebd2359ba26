namespace Netlink.Netfilter.NfTables.Expressions;

/// <summary>
/// One expression of a rule (an NFTA_LIST_ELEM in NFTA_RULE_EXPRESSIONS: NFTA_EXPR_NAME and NFTA_EXPR_DATA). Each
/// subtype is one kernel expression; <see cref="OpaqueExpression"/> keeps any other one, or any shape of a known one
/// that this library does not model, byte for byte, so rules read back can be written back unchanged.
/// </summary>
public abstract record Expression
{
    /// <summary>The kernel's name for the expression (NFTA_EXPR_NAME), such as "payload" or "cmp".</summary>
    public abstract string Name { get; }

    /// <summary>Writes the attributes inside NFTA_EXPR_DATA.</summary>
    internal abstract void WriteData(NetlinkWriter writer);

    /// <summary>Writes NFTA_EXPR_DATA (a nest of what <see cref="WriteData"/> writes; an opaque expression writes its bytes).</summary>
    internal virtual void WriteDataAttribute(NetlinkWriter writer)
    {
        NetlinkNestToken data = writer.BeginNested(Codec.NfConstants.NFTA_EXPR_DATA);
        WriteData(writer);
        writer.EndNested(data);
    }
}
