using Netlink.Netfilter.NfTables.Expressions;

namespace Netlink.Netfilter.NfTables;

/// <summary>
/// A rule (NFT_MSG_NEWRULE): expressions evaluated in order in one chain. Read back, it carries the kernel's
/// <see cref="Handle"/>, which names it for insert, replace and delete.
/// </summary>
/// <param name="Family">The table's family.</param>
/// <param name="Table">The table (NFTA_RULE_TABLE).</param>
/// <param name="Chain">The chain (NFTA_RULE_CHAIN).</param>
/// <param name="Expressions">The expressions (NFTA_RULE_EXPRESSIONS), in order.</param>
public sealed record Rule(TableFamily Family, string Table, string Chain, IReadOnlyList<Expression> Expressions)
{
    /// <summary>NFTA_RULE_HANDLE: set when read back; names the rule to replace or delete.</summary>
    public ulong Handle { get; init; }

    /// <summary>
    /// The comment, kept in NFTA_RULE_USERDATA as <c>nft</c> writes it (a libnftnl TLV: type 0, length, the NUL-terminated
    /// text), so <c>nft list</c> shows it.
    /// </summary>
    public string? Comment { get; init; }

    /// <summary>
    /// NFTA_RULE_USERDATA as raw bytes, when it holds more than a comment (read back from another tool). When set it is
    /// written as is and <see cref="Comment"/> is ignored on write.
    /// </summary>
    public ReadOnlyMemory<byte>? UserData { get; init; }

    /// <inheritdoc />
    public override string ToString() => Handle == 0
        ? $"rule in {FamilyNames.Of(Family)} {Table} {Chain}"
        : $"rule {Handle} in {FamilyNames.Of(Family)} {Table} {Chain}";
}
