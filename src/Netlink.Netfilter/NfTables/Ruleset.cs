namespace Netlink.Netfilter.NfTables;

/// <summary>Everything read back at once by <see cref="NfTablesClient.ListRuleset"/>.</summary>
/// <param name="Tables">The tables.</param>
/// <param name="Chains">The chains.</param>
/// <param name="Rules">The rules, in chain order.</param>
/// <param name="Sets">The sets and maps, anonymous ones included.</param>
/// <param name="Elements">Each set's elements, keyed by the set objects in <paramref name="Sets"/>.</param>
public sealed record Ruleset(
    IReadOnlyList<Table> Tables,
    IReadOnlyList<Chain> Chains,
    IReadOnlyList<Rule> Rules,
    IReadOnlyList<NftSet> Sets,
    IReadOnlyDictionary<NftSet, IReadOnlyList<SetElement>> Elements);
